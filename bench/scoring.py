"""Scoring speed: the reference submission scored 1,000 times in one process.

Prints the median time of one scoring, the time to load the submission and its rubric from the
database, and, as a baseline measured in the same run, a deep copy of the same figures.
Run: .venv/bin/python bench/scoring.py
"""

from __future__ import annotations

import copy

from _setup import median_seconds, setup_django

RUNS = 1000


def main() -> None:
    setup_django()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from evaluations.figures.codec import submission_figures
    from evaluations.models import Submission
    from evaluations.selectors import submission_with_figures
    from rubrics.scoring import score
    from rubrics.selectors import rubric_spec

    pk = Submission.objects.get(department__name="江门市人力资源和社会保障局").pk

    def load() -> tuple[object, object]:
        submission = submission_with_figures(pk=pk)
        return rubric_spec(version=submission.campaign.rubric), submission_figures(
            submission=submission)

    spec, figures = load()
    reset_queries()  # the log is a bounded deque, already full after the demo load
    with CaptureQueriesContext(connection) as queries:
        load()
    result = score(spec, figures)  # type: ignore[arg-type]
    scoring = median_seconds(lambda: score(spec, figures), RUNS)  # type: ignore[arg-type]
    baseline = median_seconds(lambda: copy.deepcopy(figures), RUNS)
    loading = median_seconds(load, 50)
    print(f"reference submission: computed {result.computed}, self {result.self_total}, "
          f"grade {result.grade}")
    print(f"score(): median of {RUNS} runs   {scoring * 1e3:8.3f} ms")
    print(f"baseline deepcopy(figures)       {baseline * 1e3:8.3f} ms   "
          f"(scoring = {scoring / baseline:.1f}× baseline)")
    print(f"load from database (median of 50) {loading * 1e3:7.3f} ms   "
          f"{len(queries)} queries ({connection.vendor})")


if __name__ == "__main__":
    main()
