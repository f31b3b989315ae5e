import logging

from flask import request

log = logging.getLogger(__name__)


def audit(user):
    # ruleid: py-taint-log-injection
    log.info("login attempt for " + user)


def login():
    user = request.form["user"]
    # ruleid: py-taint-log-injection
    logging.warning(f"failed login for {user}")
    audit(user)
    # ok: py-taint-log-injection
    log.info("failed login for %s", user.replace("\n", "").replace("\r", ""))
    # ok: py-taint-log-injection
    log.info("failed login for " + repr(user))
    # ok: py-taint-log-injection
    log.info("login form submitted")
    return "no"
