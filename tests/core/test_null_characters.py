"""A NUL character in a query parameter is a 400 naming it, on pages and the API alike."""

import pytest

pytestmark = pytest.mark.django_db


def test_api_filter_with_a_nul_is_a_problem_naming_the_parameter(client, demo_user):
    client.force_login(demo_user("dfe-liaison"))
    response = client.get("/api/v1/meetings/", {"council": "sand\x00well"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The 'council' parameter contains a character that is not allowed."


def test_page_with_a_nul_is_the_govuk_400_page(client, demo_user):
    client.force_login(demo_user("sandwell-officer"))
    response = client.get("/boards/", {"on": "2018-09-19\x00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sorry, there is a problem with that request" in page
    assert "The &#x27;on&#x27; parameter contains a character that is not allowed." in page


def test_ordinary_parameters_pass(client, demo_user):
    client.force_login(demo_user("dfe-liaison"))
    assert client.get("/api/v1/meetings/", {"council": "sandwell"}).status_code == 200
