"""The fairness audit: who bears the errors of a run, by protected group and workload proxy.

``groups``      the population and the groups each person belongs to (the only reader of ``people_protected``)
``labels``      slices (by detector, by route) and who was flagged, and who had done wrong
``intervals``   Wilson and ratio confidence intervals
``metrics``     group metrics and disparity ratios (Aequitas), judged against a band
``assessment``  `assess`: the fairness report of a run
``policy``      which detectors go under review, and why
``cli``         the ``fairness`` and ``reenable`` commands
"""
