"""serve: the web page and JSON API for people who never open a terminal (`procgate serve`).

    app.create_app(settings) -> FastAPI      routes; pages are server-rendered (pages.py)
    uploads.read_multipart / read_json_documents   uploads in memory, limits while streaming
    checking.CheckerThread, check_uploads   the engine on its own thread; uploads -> Verdict
    present.present(...) -> ResultView      the verdict in plain words, lines highlighted

Kept free of imports so that `procgate --help` does not load FastAPI.
"""
