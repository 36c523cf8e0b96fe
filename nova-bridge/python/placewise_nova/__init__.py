"""Placewise scheduler shim for upstream OpenStack Nova.

nova-scheduler loads any importable filter or weigher class named in nova.conf. This package
provides two of them, each asking the Placewise bridge once per scheduling pass:

* :class:`placewise_nova.filters.PlacewiseFilter` -- ``POST /v1/filter``
* :class:`placewise_nova.weighers.PlacewiseWeigher` -- ``POST /v1/weigh``

Importing the package registers the ``[placewise]`` options (see :mod:`placewise_nova.conf`).
"""

from placewise_nova import conf as _conf

_conf.register_opts()

__version__ = '0.1.0'

from placewise_nova.filters import PlacewiseFilter  # noqa: E402
from placewise_nova.weighers import PlacewiseWeigher  # noqa: E402

__all__ = ['PlacewiseFilter', 'PlacewiseWeigher', '__version__']
