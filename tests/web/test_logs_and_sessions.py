"""No child data in the server log; sessions end after an idle hour."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from csc_scorecard.web.core.logfilter import ExceptionTypeOnly


def test_log_keeps_the_exception_type_not_its_message():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ExceptionTypeOnly())
    logger = logging.getLogger("csc-test-logfilter")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("child 4455667 born 2019-03-02")
        except ValueError:
            logger.error("reading failed", exc_info=True)
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "reading failed [ValueError at test_logs_and_sessions.py:" in text
    assert "4455667" not in text and "2019-03-02" not in text and "Traceback" not in text


@pytest.mark.django_db
def test_an_idle_hour_ends_the_session(clients):
    client = clients["analyst"]
    assert client.get(reverse("core:home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    left = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=59) < left <= dt.timedelta(minutes=60)
    # an hour and a minute without a request
    session.expire_date = timezone.now() - dt.timedelta(minutes=1)
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_requests_move_the_idle_hour_on_without_a_write_each_time(clients):
    from csc_scorecard.web.core.middleware import SESSION_TOUCHED_KEY

    client = clients["viewer"]
    assert client.get(reverse("core:home")).status_code == 200  # the first request stamps it
    key = client.session.session_key
    # Pretend the last save was 40 minutes ago: 20 idle minutes left.
    session = Session.objects.get(session_key=key)
    data = session.get_decoded()
    touched = data[SESSION_TOUCHED_KEY]
    data[SESSION_TOUCHED_KEY] = touched - 40 * 60
    session.session_data = Session.objects.encode(data)
    session.expire_date = timezone.now() + dt.timedelta(minutes=20)
    session.save()
    assert client.get(reverse("core:home")).status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert dt.timedelta(minutes=59) < renewed <= dt.timedelta(minutes=60)  # a full hour again
    # Within the minute after that save, a request writes nothing: the expiry stays put.
    session = Session.objects.get(session_key=key)
    session.expire_date = timezone.now() + dt.timedelta(minutes=30)
    session.save()
    assert client.get(reverse("scorecard:scorecard")).status_code == 200
    left = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)
