"""Stop reading an upload as soon as it passes the size limit, instead of spooling it to disk."""

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _


def file_too_large_message(limit_bytes: int) -> str:
    """What a person reads when a file is over a limit: one sentence for every upload."""
    return _("The file is too large: the limit is %(mb)s MB.") % {
        "mb": f"{limit_bytes / 1024 / 1024:g}"
    }


class SizeLimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes and drops a file over the limit.

    The rest of the request body is read and thrown away (no connection reset, so the browser
    gets the page's message), the file never reaches request.FILES, and ``request.upload_too_large``
    tells the view why. The limit is the audio one unless the view set ``request.upload_max_bytes``
    before reading the files (imports take larger files and check each format's own limit).
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        limit = getattr(self.request, "upload_max_bytes", settings.PARLURE_AUDIO_MAX_BYTES)
        if self.received > limit:
            self.request.upload_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
