"""Case generators for requirements, markers and tags (filled in later)."""


def cases(rng, scale):
    return []
