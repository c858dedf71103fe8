"""Scoring keeps numpy's BLAS to one thread (its spinning idle threads cost CPU)."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_info

from voice_interviewer.scoring.scorer import single_threaded_blas


def test_blas_runs_on_one_thread_after_the_scorer_limits_it():
    np.ones((64, 64)) @ np.ones((64, 64))  # OpenBLAS loaded and used
    single_threaded_blas()
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
