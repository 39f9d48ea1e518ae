from django.contrib.staticfiles.apps import StaticFilesConfig


class SamenlabStaticFilesConfig(StaticFilesConfig):
    """Static files, minus the design-token files we do not serve.

    ``@utrecht/design-tokens`` ships CSS that points at icons the package does not contain; the
    manifest storage refuses such a file at ``collectstatic``. We only link ``theme.css``.
    """

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "background-image-icon.css", "theme-prince-xml.css"]
