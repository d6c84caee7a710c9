"""The API's JSON parser: DRF's, with deeply nested documents answered as a 400."""

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Python's json module gives up past about a thousand levels of nesting; no request
            # of this API nests more than three.
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
