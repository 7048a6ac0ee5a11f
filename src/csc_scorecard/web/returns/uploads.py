"""Stop reading an upload as soon as it is over the limit, before it reaches the disk.

The handler runs first among Django's upload handlers. When the request says
it is larger than the limit, or the bytes received pass it, it stops the
upload and marks the request, so the page can say so; the CSRF token comes
before the files in the form, so it still arrives.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the form's other fields and the multipart boundaries.
ENVELOPE_BYTES = 64 * 1024


def upload_limit() -> int:
    return int(getattr(settings, "UPLOAD_LIMIT_BYTES", 200 * 1024 * 1024))


class SizeLimitHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        self.too_large = content_length > upload_limit() + ENVELOPE_BYTES
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.too_large:
            self._stop()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > upload_limit():
            self._stop()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _stop(self):
        self.request.upload_too_large = True
        raise StopUpload(connection_reset=False)
