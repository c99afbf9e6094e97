"""What a browser posts from an admin change page: the form and its inlines, as they are shown."""

from django.db.models.fields.files import FieldFile


def value_of(bound_field):
    value = bound_field.value()
    # An empty file field posts nothing, as a browser does.
    return "" if value is None or (isinstance(value, FieldFile) and not value) else value


def field_values(form):
    return {form.add_prefix(name): value_of(form[name]) for name in form.fields}


def admin_form_data(response):
    data = field_values(response.context["adminform"].form)
    data = {key.removeprefix("-"): value for key, value in data.items()}
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(field_values(formset.management_form))
        for form in formset.forms:
            data.update(field_values(form))
    return data
