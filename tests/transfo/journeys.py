"""Counting what a job costs a person in the browser: page loads and clicks.

Typing into a field is not counted as a click; choosing in a list, ticking, and pressing a button
or a link are.
"""

from django.conf import settings
from django.test import Client


class Journey:
    def __init__(self, page):
        self.page = page
        self.loads = 0
        self.clicks = 0
        self._watch(page)
        page.context.on("page", self._watch)

    def _watch(self, page):
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.loads += 1

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def select(self, locator, **option):
        self.clicks += 1
        locator.select_option(**option)

    def autocomplete(self, page, field_id, text, choose=None):
        """A select2 autocomplete of the admin: open it, type, choose the match."""
        self.click(page.locator(f"#{field_id}").locator("xpath=..").locator(".select2-selection"))
        # Typed where the focus is: a multiple choice list has its own search field.
        page.keyboard.type(text)
        option = page.locator(".select2-results__option", has_text=choose or text).first
        option.wait_for()
        self.click(option)
        # A multiple choice list stays open for more; a person's next click closes it.
        page.keyboard.press("Escape")

    def summary(self):
        return {"pages": self.loads, "clics": self.clicks}


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
