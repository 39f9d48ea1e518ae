"""Safe photos from residents: judged by content, capped, re-encoded, stripped of EXIF/GPS, sized for phones.

Reusable by every app that takes photos (initiatives, walk-through observations). The only entry
points are ``process_image`` (bytes or an uploaded file in, a ``ProcessedImage`` out, or an
``ImageRejected`` with a plain Dutch reason) and the form field ``PhotoField`` that calls it.

Why every step:
- The file name and the browser's content type are ignored: Pillow reads the first bytes and must
  recognise JPEG, PNG or WebP, nothing else (an SVG or HTML file named ``foto.jpg`` is refused).
- Size (10 MB) is checked before decoding; pixels (40 megapixels) are checked from the header before
  the pixels are decoded, and Pillow's own decompression-bomb guard is set to the same limit and its
  warning turned into a refusal, so a tiny file that unpacks to gigabytes never reaches memory.
- The EXIF orientation is applied first (a phone photo stays upright), then the pixels are copied into
  a brand-new image: EXIF (GPS position, camera serial), XMP, comments and ICC profiles are left
  behind, so nothing stored says where a resident lives. Colours are converted to sRGB first when an
  ICC profile is present, so dropping it does not shift them.
- Opaque photos become JPEG (every phone shows them); photos with transparency become WebP.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"
# Widths for phones (1x and 2x screens) and a large one for desktops and zooming in.
RENDITION_WIDTHS = (480, 960, 1600)
JPEG_QUALITY = 82
WEBP_QUALITY = 80

# Pillow's guard is global: it warns above this many pixels and raises above twice as many. Every
# image opened anywhere in the process gets the same limit as an upload here.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageRejected(ValidationError):
    """An upload that is not stored, with a reason a resident understands."""


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes = field(repr=False)
    content_type: str
    extension: str

    def as_file(self, stem: str) -> ContentFile:
        """A ``ContentFile`` named ``<stem>-<width>.<ext>`` for a FileField or storage."""
        return ContentFile(self.data, name=f"{stem}-{self.width}.{self.extension}")


@dataclass(frozen=True)
class ProcessedImage:
    """A cleaned photo: the original size (capped at the largest rendition width) plus smaller ones.

    ``renditions`` is sorted from small to large; ``largest`` is the one to show when zooming in.
    """

    width: int
    height: int
    source_format: str
    renditions: tuple[Rendition, ...]

    @property
    def largest(self) -> Rendition:
        return self.renditions[-1]

    @property
    def smallest(self) -> Rendition:
        return self.renditions[0]

    def srcset_widths(self) -> list[int]:
        return [r.width for r in self.renditions]


def _read_bytes(source) -> bytes:
    """Bytes of ``source`` (bytes or a file-like upload), refusing more than the cap without reading it all."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        size = getattr(source, "size", None)
        if size is not None and size > MAX_UPLOAD_BYTES:
            raise _too_large(size)
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise ImageRejected(_("Het bestand is leeg. Kies een foto."), code="empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large(len(data))
    return data


def _too_large(size: int) -> ImageRejected:
    return ImageRejected(
        _("Deze foto is te groot (%(size)s). Het maximum is 10 MB. Verklein de foto of kies een andere."),
        code="too_large",
        params={"size": filesizeformat(size)},
    )


def _too_many_pixels(pixels: int) -> ImageRejected:
    return ImageRejected(
        _("Deze foto heeft te veel beeldpunten (%(megapixels)s megapixel). Het maximum is 40 megapixel."),
        code="too_many_pixels",
        params={"megapixels": f"{pixels / 1_000_000:.0f}"},
    )


NOT_AN_IMAGE = _("Dit bestand is geen foto die we kunnen gebruiken. Kies een foto in JPEG-, PNG- of WebP-formaat.")
DAMAGED = _("Deze foto is beschadigd of onvolledig en kan niet worden geopend. Probeer een andere foto.")


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert colours to sRGB when the photo carries an ICC profile; keep the pixels as they are otherwise."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source_profile, ImageCms.createProfile("sRGB"), outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken profile is not worth refusing a photo for: the colours may be a little off.
        return image


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        return image.getextrema()[-1][0] < 255
    return image.mode == "P" and "transparency" in image.info


def _clean_pixels(image: Image.Image) -> tuple[Image.Image, bool]:
    """Upright, sRGB pixels in a fresh image that carries no metadata at all; and whether alpha matters."""
    image = ImageOps.exif_transpose(image)
    image = _to_srgb(image)
    transparent = _has_transparency(image)
    target_mode = "RGBA" if transparent else "RGB"
    if image.mode != target_mode:
        image = image.convert(target_mode)
    # A new image from the raw pixels: nothing of the original's info (EXIF, XMP, comments, ICC) survives.
    fresh = Image.frombytes(target_mode, image.size, image.tobytes())
    return fresh, transparent


def _encode(image: Image.Image, transparent: bool) -> tuple[bytes, str, str]:
    buffer = io.BytesIO()
    if transparent:
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        return buffer.getvalue(), "image/webp", "webp"
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue(), "image/jpeg", "jpg"


def process_image(source, *, widths: tuple[int, ...] = RENDITION_WIDTHS) -> ProcessedImage:
    """Check, clean and resize one photo.

    ``source`` is bytes or a file-like object (e.g. an ``UploadedFile``); its name and declared content
    type are ignored. Raises ``ImageRejected`` (a ``ValidationError``) with a plain reason when the
    file is empty, larger than 10 MB, not a JPEG/PNG/WebP by content, above 40 megapixels, or damaged.
    Never upscales: a photo narrower than a width yields no rendition of that width, but there is
    always at least one.
    """
    data = _read_bytes(source)
    with warnings.catch_warnings():
        # Above MAX_IMAGE_PIXELS Pillow only warns; here that is a refusal too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
            raise _too_many_pixels(_pixels_from_message(bomb)) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ImageRejected(NOT_AN_IMAGE, code="not_an_image") from None
        source_format = image.format
        if source_format not in ACCEPTED_FORMATS:
            raise ImageRejected(NOT_AN_IMAGE, code="not_an_image")
        pixels = image.width * image.height
        if pixels > MAX_PIXELS:
            raise _too_many_pixels(pixels)
        try:
            image.load()
            clean, transparent = _clean_pixels(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(pixels) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ImageRejected(DAMAGED, code="damaged") from None
        finally:
            image.close()

    renditions = []
    for width in sorted(set(widths)):
        if width >= clean.width:
            break
        height = max(1, round(clean.height * width / clean.width))
        resized = clean.resize((width, height), Image.Resampling.LANCZOS)
        renditions.append(Rendition(width, height, *_encode(resized, transparent)))
    if clean.width <= max(widths):
        # Narrower than the largest width: the photo's own size is the largest rendition.
        renditions.append(Rendition(clean.width, clean.height, *_encode(clean, transparent)))
    return ProcessedImage(
        width=renditions[-1].width, height=renditions[-1].height, source_format=source_format,
        renditions=tuple(renditions),
    )


def _pixels_from_message(bomb: Exception) -> int:
    """Pixel count of a refused bomb, from Pillow's message ("Image size (N pixels) exceeds ..."), for the
    resident's message only; changing the global guard to re-read the header would not be thread-safe."""
    match = re.search(r"\((\d+) pixels\)", str(bomb))
    return int(match.group(1)) if match else MAX_PIXELS + 1


class PhotoField(forms.FileField):
    """A file field whose cleaned value is a ``ProcessedImage`` (or ``None`` when optional and empty).

    The browser is told which types fit (``accept``), but the server decides by content.
    """

    default_error_messages = {"invalid": NOT_AN_IMAGE}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        # Only a new upload is processed; an empty optional field (or a cleared one) gives None.
        if not value or isinstance(value, str):
            return None
        return process_image(value)


def srcset(photo) -> str:
    """The ``srcset`` attribute of a stored photo: every rendition with its width, small first."""
    from django.core.files.storage import default_storage

    return ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in (photo.renditions or []))
