"""The pure numeric core: numpy and numpy-financial only, no xlwings, no Excel shapes.

Functions here take floats and 1-D numpy arrays, return numpy arrays or floats, and
raise :class:`udfs.errors.AimInputError` (naming the argument) for a value outside their
domain. Units and signs are stated in each docstring.
"""
