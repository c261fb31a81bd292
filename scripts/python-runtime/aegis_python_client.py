"""The module name of the earlier Aegis documents: the same objects as aegis_client.

    from aegis_python_client import AegisClient
"""

from aegis_client import *  # noqa: F401,F403
from aegis_client import __all__, __version__  # noqa: F401
