import pytest
import time_machine

from .scenario import TODAY, build


@pytest.fixture
def planted(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(TODAY, tick=False):
        yield build()
