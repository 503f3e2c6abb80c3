"""The bundled scenario library: data only (YAML scenarios, tracks/, schema.json).

Shipped inside the wheel as the package data of `simulator.library`; see simulator/bundled.py.
"""
