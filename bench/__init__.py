"""aim's benchmarks: ``python -m bench`` (``make bench``) prints one table and writes
bench/RESULTS.md.

Every row is a ratio or a time measured in the same run, against the targets of the
performance issue:

1. :mod:`bench.per_call`: per-call time of every AIM_ function on the model's inputs;
2. :mod:`bench.waterfall`: AIM_DEPR_WATERFALL and AIM_LIFE_CHANGE against a plain loop
   and the conversion floor, and how their time grows;
3. :mod:`bench.rpo`: the same for AIM_RPO_CONVERSION, and no convolution;
4. :mod:`bench.workbook`: ``aimodel build`` and ``refresh``, and the headless
   recalculation of model.xlsm;
5. :mod:`bench.memory`: peak memory of the largest case;
6. :mod:`bench.depr_policy`: AIM_DEPR_POLICY beside AIM_DEPR_WATERFALL on long series;
7. :mod:`bench.filings`: parsing a full company-facts file, ``aimodel fetch --from``
   plus ``refresh``, and the whole-model recalculation on the longer timeline.

The plain references live in :mod:`bench.references`; tests may import them to check
the fast paths. Timing assertions do not belong in tests: the bench reports, it does
not fail on a slow machine.
"""
