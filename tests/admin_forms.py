"""What a browser posts from an admin change page: the form and its inlines, as they are shown."""


def field_values(form):
    return {
        form.add_prefix(name): "" if form[name].value() is None else form[name].value()
        for name in form.fields
    }


def admin_form_data(response):
    data = field_values(response.context["adminform"].form)
    data = {key.removeprefix("-"): value for key, value in data.items()}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(field_values(formset.management_form))
        for form in formset.forms:
            data.update(field_values(form))
    return data
