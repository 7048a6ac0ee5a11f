"""A logging filter that keeps child data out of the server log.

An exception's message or a traceback's source lines may quote a value read
from a return (a child's id, a date of birth). The log keeps what an operator
needs to find the fault (the exception's type and the file and line that
raised it) and drops the rest.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path


class ExceptionTypeOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            frames = traceback.extract_tb(exc.__traceback__)
            where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
            record.msg = f"{record.getMessage()} [{type(exc).__name__}{where}]"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True
