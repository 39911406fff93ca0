"""consult: run a written consultation in the terminal and turn answers into evidence."""

__version__ = "0.1.0"
