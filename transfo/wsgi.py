import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "transfo.settings")
application = get_wsgi_application()
# What start-up built (Django, the apps, the URLs) lives as long as the process: frozen, it is
# left out of the garbage collector's full passes, which walked all of it every few hundred
# requests (80 ms for a search-page process, a stall of every request queued behind it).
gc.freeze()
