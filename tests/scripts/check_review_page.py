#!/usr/bin/python3
"""Checks a `clipset suspects --html` page: it parses as HTML with every element closed, every
<audio> source resolves to a file relative to the page (a media fragment "#t=a,b" allowed), and
nothing refers to the network. Prints the number of players; exits 1 naming the first problem."""

import html.parser
import os
import re
import sys
import urllib.parse

VOID = {"meta", "br", "img", "hr", "input", "link", "source", "col", "area", "base", "wbr"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.open = []
        self.sources = []
        self.problems = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            # A link with a scheme (http:, https:, data: is none of ours) or a protocol-relative //host.
            if name in ("src", "href", "poster", "data", "srcset") and re.match(r"\s*([a-z][a-z0-9+.-]*:|//)", value or "", re.I):
                self.problems.append(f"<{tag} {name}={value}> refers outside the page's folder")
        if tag == "audio":
            self.sources.append(dict(attrs).get("src", ""))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag == "audio":
            self.sources.append(dict(attrs).get("src", ""))

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1] if self.open else 'nothing'}")
        else:
            self.open.pop()


def main(page_file):
    text = open(page_file, encoding="utf-8").read()
    if re.search(r"url\(|@import|<script|<link", text, re.IGNORECASE):
        sys.exit(f"{page_file}: loads something (url(), @import, a script or a link)")
    page = Page()
    page.feed(text)
    page.close()
    if page.problems:
        sys.exit(f"{page_file}: {page.problems[0]}")
    if page.open:
        sys.exit(f"{page_file}: unclosed {page.open}")
    folder = os.path.dirname(os.path.abspath(page_file))
    for src in page.sources:
        path, _, fragment = src.partition("#")
        if fragment and not re.fullmatch(r"t=\d+(\.\d+)?,\d+(\.\d+)?", fragment):
            sys.exit(f"{page_file}: bad media fragment in {src}")
        if os.path.isabs(urllib.parse.unquote(path)):
            sys.exit(f"{page_file}: absolute link {src}")
        if not os.path.isfile(os.path.join(folder, urllib.parse.unquote(path))):
            sys.exit(f"{page_file}: {src} does not resolve")
    print(len(page.sources))


if __name__ == "__main__":
    main(sys.argv[1])
