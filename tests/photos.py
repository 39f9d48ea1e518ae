"""Photos as phones make them, for tests of the upload pipeline, its views and the browser journey."""

import io

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_bytes(size=(200, 100), *, colour=(200, 30, 30), exif=None, **save_kwargs) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", exif=exif if exif is not None else b"", **save_kwargs)
    return buffer.getvalue()


def gps_exif(*, orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: a position on the dike at Kinderdijk, camera details and the orientation."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Telefoonmaker"  # Make
    exif[0x0110] = "Model 12"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (51.0, 53.0, 2.4)  # GPSLatitude
    gps[3] = "E"  # GPSLongitudeRef
    gps[4] = (4.0, 38.0, 16.8)  # GPSLongitude
    return exif


def gps_tagged_jpeg(size=(1200, 800)) -> bytes:
    """A green photo carrying camera details and a GPS position."""
    return jpeg_bytes(size, colour=(30, 90, 30), exif=gps_exif())
