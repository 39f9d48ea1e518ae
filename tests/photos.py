"""Photos as phones make them, for tests of the upload pipeline, its views and the browser journey."""

import io

from PIL import Image, PngImagePlugin

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


# XMP as phones and photo apps write it: the position again, in XML.
GPS_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,53.04N" '
    b'exif:GPSLongitude="4,38.28E" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Make="Telefoonmaker"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
# Words no stored file may contain: the camera maker, and the place in a comment or text chunk.
TELLTALES = (b"Telefoonmaker", b"Kinderdijk", b"GPSLatitude")


def _pixels(size, transparent: bool) -> Image.Image:
    if not transparent:
        return Image.new("RGB", size, (30, 90, 30))
    image = Image.new("RGBA", size, (30, 90, 30, 255))
    image.paste((30, 90, 30, 0), (0, 0, size[0] // 2, size[1] // 2))  # a transparent corner
    return image


def gps_tagged(fmt: str, size=(1200, 800), *, transparent: bool = False) -> bytes:
    """A photo in ``fmt`` (JPEG, PNG or WEBP) carrying every kind of metadata that format can hold.

    EXIF with GPS and camera details (JPEG APP1, PNG eXIf chunk, WebP EXIF chunk), XMP with the position
    (JPEG APP1, PNG iTXt ``XML:com.adobe.xmp``, WebP XMP chunk), and a comment naming the place (JPEG
    COM marker, PNG tEXt and zTXt chunks).
    """
    buffer = io.BytesIO()
    image = _pixels(size, transparent and fmt != "JPEG")
    if fmt == "JPEG":
        image.save(buffer, "JPEG", exif=gps_exif(), xmp=GPS_XMP, comment=b"Kinderdijk, bij de molens")
    elif fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "Kinderdijk, bij de molens")
        info.add_text("Location", "Kinderdijk", zip=True)
        info.add_itxt("XML:com.adobe.xmp", GPS_XMP.decode())
        image.save(buffer, "PNG", exif=gps_exif(), pnginfo=info)
    elif fmt == "WEBP":
        image.save(buffer, "WEBP", exif=gps_exif(), xmp=GPS_XMP, lossless=transparent)
    else:
        raise ValueError(fmt)
    return buffer.getvalue()


def metadata_left_in(data: bytes) -> list[str]:
    """What of a photo's metadata ``data`` still carries, read back with Pillow and from the raw bytes."""
    found = []
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if image.getexif():
            found.append("EXIF")
        found += [f"info[{key!r}]" for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile")
                  if key in image.info]
        found += [f"text[{key!r}]" for key in getattr(image, "text", {})]
    found += [f"bytes {word!r}" for word in TELLTALES if word in data]
    for marker in (b"Exif\x00\x00", b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"XMP ", b"EXIF"):
        if marker in data:
            found.append(f"chunk {marker!r}")
    return found
