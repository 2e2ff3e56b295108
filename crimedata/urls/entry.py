"""Officers' data entry: the quarterly grid (and administrators' corrections), spreadsheet uploads and
templates, sign-off and completeness."""

from django.urls import path, re_path

from crimedata.views import completeness, grid, signoff, upload

# An ONS code (E07000110) and a financial-year quarter (2016-q1 = April to June 2016).
_DISTRICT = r"(?P<code>[A-Z]\d{8})"
_QUARTER = r"(?P<year>\d{4})-q(?P<number>[1-4])"


def _ints(view):
    """re_path captures strings; the views take the year and quarter as numbers."""

    def wrapped(request, code, year, number):
        return view(request, code, int(year), int(number))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


urlpatterns = [
    path("entry/", grid.entry_home, name="entry-home"),
    path("entry/upload/", upload.upload, name="upload"),
    path("entry/upload/confirm/", upload.upload_confirm, name="upload-confirm"),
    path("entry/upload/cancel/", upload.upload_cancel, name="upload-cancel"),
    path("entry/template/", upload.upload_template, name="upload-template"),
    path("entry/sign-off/", signoff.sign_off, name="sign-off"),
    path("entry/completeness/", completeness.completeness, name="completeness"),
    re_path(rf"^entry/{_DISTRICT}/{_QUARTER}/$", _ints(grid.entry_grid), name="entry-grid"),
    re_path(rf"^entry/{_DISTRICT}/{_QUARTER}/correct/$", _ints(grid.entry_correct), name="entry-correct"),
]
