"""Keys made from labels typed in the code picker."""

from coder.codebook import add_code, free_key


def test_free_key_slugifies_and_avoids_taken_keys(project):
    assert free_key(project, "Miedo a represalias") == "miedo-a-represalias"
    add_code(project, "miedo-a-represalias", "Miedo a represalias", lang="es")
    assert free_key(project, "Miedo a represálias!") == "miedo-a-represalias-2"
    assert project.code("miedo-a-represalias")["labels"]["es"] == "Miedo a represalias"
