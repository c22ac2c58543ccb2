"""The wheel's platform tag: when `make wheel` has put the attrdb binary in attrdb/_bin/, the wheel
carries a Linux executable, so it is tagged py3-none-<platform> (any Python 3, this OS and CPU)
instead of pure py3-none-any. Everything else is in pyproject.toml."""
import os

from setuptools import setup

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1 has it in the wheel package
    from wheel.bdist_wheel import bdist_wheel

BUNDLED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "attrdb", "_bin", "attrdb")


class PlatformWheel(bdist_wheel):
    def finalize_options(self):
        super().finalize_options()
        if os.path.exists(BUNDLED):
            self.root_is_pure = False

    def get_tag(self):
        python, abi, platform = super().get_tag()
        return ("py3", "none", platform) if os.path.exists(BUNDLED) else (python, abi, platform)


setup(cmdclass={"bdist_wheel": PlatformWheel})
