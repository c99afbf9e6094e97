"""Checks on uploaded illustrations, with messages an editor can act on."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
# The formats accepted and the file extensions each may carry.
FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}


def validate_illustration(upload):
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("L'image pèse %(size)s ; le maximum est de 5 Mo.")
            % {"size": filesizeformat(upload.size)}
        )
    extension = Path(upload.name).suffix.lower()
    if not any(extension in extensions for extensions in FORMATS.values()):
        raise ValidationError(_("Seules les images JPEG, PNG ou WebP sont acceptées."))
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            # Read the header only: the pixel count is known before any decompression.
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("L'image fait %(pixels)s millions de pixels ; le maximum est de 40 millions.")
                    % {"pixels": round(width * height / 1_000_000)}
                )
            image_format = image.format
            image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("Cette image est trop grande pour être traitée.")) from error
    except Exception as error:  # Pillow raises many kinds of errors on a broken file.
        raise ValidationError(_("Ce fichier n'est pas une image lisible.")) from error
    finally:
        upload.seek(0)
    if image_format not in FORMATS:
        raise ValidationError(_("Seules les images JPEG, PNG ou WebP sont acceptées."))
    if extension not in FORMATS[image_format]:
        raise ValidationError(
            _("Le contenu du fichier (%(format)s) ne correspond pas à son extension « %(ext)s ».")
            % {"format": image_format, "ext": extension}
        )
