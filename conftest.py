# The browser harness is a plugin so every test package shares its fixtures (one browser a session).
pytest_plugins = ["tests.browser.harness"]
