"""Learning across borders (issue #20): the methods library and published practice cases."""
