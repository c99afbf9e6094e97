"""Checks on uploaded illustrations, with messages an editor can act on."""

import re
from io import BytesIO
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
# The formats accepted and the file extensions each may carry.
FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}


def too_many_pixels(pixels):
    return ValidationError(
        _(
            "L'image fait %(pixels)s millions de pixels ; le maximum est de 40 millions. "
            "Réduisez-la (par exemple à 4 000 × 3 000 pixels) puis déposez-la à nouveau."
        )
        % {"pixels": round(pixels / 1_000_000)}
    )


def validate_illustration(upload):
    if isinstance(upload, FieldFile) and upload._committed:
        return  # a file already stored was checked when it was uploaded
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
                raise too_many_pixels(width * height)
            image_format = image.format
            image.verify()
        # verify() reads the structure only: a truncated JPEG passes it. Decode every pixel now
        # (the size is known to be reasonable), so that nothing fails later, after the save.
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow refuses to open far larger pictures; its message gives their size.
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        raise too_many_pixels(int(pixels.group(1)) if pixels else MAX_PIXELS) from error
    except Exception as error:  # Pillow raises many kinds of errors on a broken file.
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible (fichier abîmé ou incomplet ?).")
        ) from error
    finally:
        upload.seek(0)
    if image_format not in FORMATS:
        raise ValidationError(_("Seules les images JPEG, PNG ou WebP sont acceptées."))
    if extension not in FORMATS[image_format]:
        raise ValidationError(
            _("Le contenu du fichier (%(format)s) ne correspond pas à son extension « %(ext)s ».")
            % {"format": image_format, "ext": extension}
        )


SAVE_OPTIONS = {"JPEG": {"quality": 90}, "PNG": {"optimize": True}, "WEBP": {"quality": 90}}


def reencode(upload):
    """The picture alone, written afresh: nothing else that the file carried survives (HTML or
    script hidden after or inside it — a polyglot —, EXIF with GPS position, comments)."""
    upload.seek(0)
    with Image.open(upload) as original:
        image_format = original.format
        icc_profile = original.info.get("icc_profile")
        image = ImageOps.exif_transpose(original)
        if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        image = image.copy()
    image.info = {}
    buffer = BytesIO()
    options = dict(SAVE_OPTIONS[image_format])
    if icc_profile:
        options["icc_profile"] = icc_profile
    image.save(buffer, format=image_format, **options)
    return SimpleUploadedFile(upload.name, buffer.getvalue(), content_type=Image.MIME[image_format])


class IllustrationField(forms.ImageField):
    """The admin's upload field: our checks and messages first, then the picture re-encoded."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        validate_illustration(data)
        return super().to_python(reencode(data))
