"""pedigree-demo: greets whoever verifies it."""

__version__ = "0.1.0"


def hello(name: str = "world") -> str:
    return f"hello, {name}: this wheel has a pedigree"
