"""The web UI and REST API of a presslens store (FastAPI + Jinja2): ``create_app``, served by ``presslens serve``."""
