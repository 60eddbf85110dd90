"""The publishable transparency report: what ran, on what basis, how often it was right, and for whom it was wrong.

``content``      every figure of the report, gathered with no personal data (small groups suppressed)
``charts``       Altair charts rendered offline to SVG (vl-convert)
``render``       HTML (Jinja2) and PDF (WeasyPrint); never overwrites without ``force``
``publication``  `publish`: fairness audit, figures and rendering in one call
``cli``          the ``report`` command
"""
