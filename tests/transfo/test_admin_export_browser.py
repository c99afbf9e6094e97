"""The admin export page in a real browser, under the site's Content-Security-Policy."""

import pytest

from tests.transfo.test_browser import CHROMIUM, browser, page  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_select_all_on_the_export_page_works_under_the_csp(page, live_server, admin_user):  # noqa: F811
    from django.test import Client

    client = Client()
    client.force_login(admin_user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.goto(f"{live_server.url}/admin/practices/practice/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
    assert fields.count() > 3
    page.locator("input.select-toggle").uncheck()
    assert all(not box.is_checked() for box in fields.all())
    page.locator("input.select-toggle").check()
    assert all(box.is_checked() for box in fields.all())
