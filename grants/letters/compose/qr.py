"""The verification QR code of a composed letter, as the pixels of a PDF image."""

from grants.letters.documents import QR_BORDER, qr_code


def qr_image(url: str) -> tuple[int, bytes]:
    """The QR code of `url` as a 1-bit image of one pixel a module, quiet zone included (the same pixels
    as `grants.letters.documents.qr_png`), which the page scales up without smoothing: (width, packed rows)."""
    matrix = qr_code(url).matrix
    size = len(matrix) + 2 * QR_BORDER
    quiet = "1" * QR_BORDER
    padding = "1" * (-size % 8)
    rows = [quiet + "".join("0" if dark else "1" for dark in row) + quiet + padding for row in matrix]
    blank = "1" * (size + len(padding))
    data = bytearray()
    for bits in [blank] * QR_BORDER + rows + [blank] * QR_BORDER:
        data += int(bits, 2).to_bytes(len(bits) // 8, "big")
    return size, bytes(data)
