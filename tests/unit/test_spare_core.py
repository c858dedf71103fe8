"""The decode ahead of Enter gets a thread of its own only while the machine has a core to spare."""

from voice_interviewer.live.spare_core import BUSY_LOAD_OVER_CORES, core_to_spare


def test_a_quiet_machine_has_a_core_to_spare_and_a_saturated_one_has_none():
    assert core_to_spare(load=0.2, cores=2)
    assert core_to_spare(load=1.7, cores=2)  # this process's own worker and capture
    assert not core_to_spare(load=2 + BUSY_LOAD_OVER_CORES, cores=2)
    assert not core_to_spare(load=5.0, cores=2)  # three other jobs, as measured
    assert core_to_spare(load=5.0, cores=8)


def test_the_machine_s_load_average_is_read_when_none_is_given(monkeypatch):
    import os

    monkeypatch.setattr(os, "getloadavg", lambda: (9.0, 9.0, 9.0))
    assert not core_to_spare(cores=2)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.5, 0.5, 0.5))
    assert core_to_spare(cores=2)

    def unknown():
        raise OSError("no load average here")

    monkeypatch.setattr(os, "getloadavg", unknown)
    assert core_to_spare(cores=2)  # not known: as on a quiet machine
