"""Problems print as FILE:LINE:COLUMN: message; errors carry their exit status."""

from __future__ import annotations

from partnership.errors import InputError, PartnershipError, Problem, UsageError


def test_a_located_problem_prints_file_line_column() -> None:
    assert str(Problem("a.yaml", 3, 7, "agreement.id: bad")) == "a.yaml:3:7: agreement.id: bad"
    assert str(Problem("a.yaml", None, None, "the file is empty")) == "a.yaml: the file is empty"


def test_input_errors_keep_every_problem_and_exit_2() -> None:
    problems = [Problem("a.yaml", 1, 1, "x"), Problem("a.yaml", 2, 1, "y")]
    err = InputError(problems)
    assert err.problems == problems and str(err) == "a.yaml:1:1: x\na.yaml:2:1: y"
    assert isinstance(err, PartnershipError) and err.exit_code == 2
    assert UsageError("unknown term").exit_code == 2
