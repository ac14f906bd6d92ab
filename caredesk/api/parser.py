"""Request bodies are read by caredesk.core.limits.json_loads: JSON as the standard defines it
(no NaN or Infinity), and a body nested too deeply is a 400, not a RecursionError."""

from ninja.parser import Parser

from caredesk.core.limits import json_loads


class JSONParser(Parser):
    def parse_body(self, request):
        return json_loads(request.body)
