"""Form helpers every app shares."""


def valid_posted_fields(form, names=None) -> dict:
    """The cleaned values of the fields that passed validation and that the request actually sent.

    For the forms that keep what is valid even when the whole form is not (autosaved drafts): a field
    with an error, or one the request left out (a partial save, a page of another version, a hostile
    client), keeps its stored value, so a refused or partial save never blanks what was saved before.
    A checkbox list sent empty is an answer ("none"), not an omission: browsers send nothing for it."""
    allowed = set(form.fields if names is None else names)
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name in allowed
        and name not in form.errors
        and name in form.fields
        and not form.fields[name].widget.value_omitted_from_data(form.data, form.files, form.add_prefix(name))
    }
