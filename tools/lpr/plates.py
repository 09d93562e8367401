"""Flat, front-on licence plates drawn with PIL: EU countries, US states, Brazil (old grey and Mercosur), China.

Each renderer takes a random.Random and returns a Plate: the RGBA image (transparent outside the plate's rounded
corners), the label (upper case, no separators, province character first for China), the region and the box of
the plate's main characters (for tight crops). Everything drawn comes from the random generator passed in, so a
seed fixes the image.
"""
import random as _random
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from model import PROVINCES

FONT_DIR = "/usr/share/fonts"
# Debian packages (scripts/setup-training.sh installs them): fonts-opendin (a DIN 1451 face, the German/Mercosur
# plate family), fonts-dejavu-extra (DejaVu Sans Condensed), fonts-liberation (Liberation Sans Narrow),
# fonts-roboto-unhinted (Roboto Condensed), fonts-bebas-neue (a tall condensed capital face, like many US plates),
# fonts-dejavu-core, fonts-liberation2, fonts-wqy-zenhei (the CJK face of the province characters), fonts-roadgeek
# (FHWA Highway Gothic B-E, close to most US plates), fonts-tiresias (Tiresias LPfont, made for number plates),
# fonts-urw-base35 (Nimbus Sans and Sans Narrow Bold), fonts-freefont-ttf, fonts-national-park.
FONTS = {
    "din": ["truetype/opendin/OSP-DIN.ttf"],
    "condensed": [
        "truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
        "truetype/liberation/LiberationSansNarrow-Bold.ttf",
        "truetype/roboto/unhinted/RobotoCondensed-Bold.ttf",
        "truetype/roboto/unhinted/RobotoCondensed-Medium.ttf",
        "opentype/bebas-neue/BebasNeue-Bold.otf",
        "opentype/bebas-neue/BebasNeue-Regular.otf",
        "truetype/roadgeek/RG2014B.ttf",
        "truetype/roadgeek/RG2014C.ttf",
        "truetype/roadgeek/RG2014D.ttf",
        "opentype/urw-base35/NimbusSansNarrow-Bold.otf",
        "opentype/national-park/NationalPark-Heavy.otf",
    ],
    "sans": [
        "truetype/dejavu/DejaVuSans-Bold.ttf",
        "truetype/liberation2/LiberationSans-Bold.ttf",
        "truetype/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf",
        "truetype/dejavu/DejaVuSansMono-Bold.ttf",
        "truetype/roadgeek/RG2014E.ttf",
        "truetype/roadgeek/RG2014EM.ttf",
        "truetype/tiresias/tiresias_lpfont_bold.ttf",
        "truetype/tiresias/tiresias_lpfont.ttf",
        "opentype/urw-base35/NimbusSans-Bold.otf",
        "truetype/freefont/FreeSansBold.ttf",
    ],
    "serif": [
        "truetype/dejavu/DejaVuSerif-BoldItalic.ttf",
        "truetype/liberation2/LiberationSerif-BoldItalic.ttf",
        "truetype/dejavu/DejaVuSerif-Bold.ttf",
    ],
    "cjk": ["truetype/wqy/wqy-zenhei.ttc"],
}


def font_paths(family):
    import os
    paths = [os.path.join(FONT_DIR, p) for p in FONTS[family]]
    found = [p for p in paths if os.path.exists(p)]
    if not found:
        raise FileNotFoundError(f"no font of family {family} ({paths}); run scripts/setup-training.sh")
    return found


@lru_cache(maxsize=None)
def _font(path):
    return ImageFont.truetype(path, 100)


@lru_cache(maxsize=None)
def _cap_rows(path):
    """Top and bottom row (at size 100) of a capital letter: the band every plate character is cut to."""
    box = _font(path).getbbox("H")
    return box[1], box[3]


@lru_cache(maxsize=20000)
def glyph(path, ch):
    """The ink of one character as an L image: the cap band for Latin text, the ink box for CJK."""
    font = _font(path)
    if ch == " ":
        top, bottom = _cap_rows(path)
        return Image.new("L", (int((bottom - top) * 0.35), bottom - top), 0)
    left, top, right, bottom = font.getbbox(ch)
    if not ("\u4e00" <= ch <= "\u9fff") and ch != "\u00b7":
        top, bottom = _cap_rows(path)
    image = Image.new("L", (right + 10, bottom + 10), 0)
    ImageDraw.Draw(image).text((0, 0), ch, font=font, fill=255)
    return image.crop((left, top, right, bottom))


def text_mask(text, path, spacing=0.08):
    """The text as one L mask, cap height 100 ± rows, characters spaced by spacing × cap height."""
    glyphs = [glyph(path, ch) for ch in text]
    height = max(g.height for g in glyphs)
    gap = int(round(spacing * height))
    width = sum(g.width for g in glyphs) + gap * (len(glyphs) - 1)
    mask = Image.new("L", (max(width, 1), height), 0)
    x = 0
    for g in glyphs:
        mask.paste(g, (x, (height - g.height) // 2))
        x += g.width + gap
    return mask


def draw_text(image, text, path, box, color, r, spacing=None, squeeze=(0.85, 1.1), align="center", height=None):
    """Draws text into box (x0, y0, x1, y1): cap height = box height (or height), squeezed to fit; returns ink box."""
    if spacing is None:
        spacing = r.uniform(0.03, 0.16)
    mask = text_mask(text, path, spacing)
    x0, y0, x1, y1 = box
    h = int(round(height if height is not None else y1 - y0))
    w = int(round(mask.width * h / mask.height * r.uniform(*squeeze)))
    w = max(1, min(w, int(x1 - x0)))
    h = max(1, h)
    weight = r.random()
    if weight < 0.2:  # the same face heavier or lighter: plate makers' dies and sheeting differ in stroke width
        mask = mask.filter(ImageFilter.MaxFilter(r.choice([3, 5])))
    elif weight < 0.35:
        mask = mask.filter(ImageFilter.MinFilter(r.choice([3, 5])))
    mask = mask.resize((w, h), Image.Resampling.BILINEAR)
    if align == "left":
        x = int(x0)
    elif align == "right":
        x = int(x1 - w)
    else:
        x = int(round((x0 + x1 - w) / 2))
    y = int(round((y0 + y1 - h) / 2))
    if r.random() < 0.25:  # embossed characters: the raised edge catches light on one side and shades the other
        d = max(1, int(round(h * r.uniform(0.02, 0.06))))
        dx, dy = r.choice([(d, d), (-d, d), (d, -d), (0, d), (d, 0)])
        shade = tuple(int(c * r.uniform(0.2, 0.6)) for c in color[:3]) + (255,)
        light = tuple(min(255, int(c + (255 - c) * r.uniform(0.3, 0.8))) for c in color[:3]) + (255,)
        image.paste(Image.new("RGBA", (w, h), shade), (x + dx, y + dy), mask)
        image.paste(Image.new("RGBA", (w, h), light), (x - dx, y - dy), mask)
    image.paste(Image.new("RGBA", (w, h), color), (x, y), mask)
    return (x, y, x + w, y + h)


@dataclass
class Plate:
    image: Image.Image   # RGBA
    label: str
    region: str
    text_box: tuple      # x0, y0, x1, y1 of the main characters


DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LETTERS_NO_IOQ = "ABCDEFGHJKLMNPRSTUVWXYZ"
SPANISH = "BCDFGHJKLMNPRSTVWXYZ"


def fill(pattern, r, letters=LETTERS_NO_IOQ):
    """Pattern characters: L letter, D digit, X either, S Spanish consonant, anything else kept as written."""
    out = []
    for c in pattern:
        if c == "L":
            out.append(r.choice(letters))
        elif c == "D":
            out.append(r.choice(DIGITS))
        elif c == "X":
            out.append(r.choice(letters + DIGITS))
        elif c == "S":
            out.append(r.choice(SPANISH))
        else:
            out.append(c)
    return "".join(out)


def normalise(display):
    return "".join(c for c in display if c.isalnum()).upper()


def jitter(color, r, amount=12):
    return tuple(max(0, min(255, c + r.randint(-amount, amount))) for c in color[:3]) + (255,)


def base(width, height, background, r, radius=None, border=None, border_width=3):
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    radius = radius if radius is not None else r.randint(2, 14)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius, fill=background)
    if border is not None:
        inset = r.randint(0, 5)
        draw.rounded_rectangle((inset, inset, width - 1 - inset, height - 1 - inset), max(1, radius - inset), outline=border,
                               width=border_width)
    return image, draw


def eu_band(image, draw, width, height, code, r, flag=None):
    """The blue band at the left with the EU stars and the country code (or a national flag band)."""
    band = int(width * r.uniform(0.085, 0.11))
    draw.rectangle((0, 0, band, height - 1), fill=flag or jitter((0, 51, 153), r, 10))
    if flag is None:
        cx, cy, radius = band / 2, height * 0.3, band * 0.3
        for i in range(12):
            a = i * np.pi / 6
            x, y = cx + radius * np.cos(a), cy + radius * np.sin(a)
            draw.ellipse((x - 1.6, y - 1.6, x + 1.6, y + 1.6), fill=(255, 204, 0, 255))
    path = r.choice(font_paths("sans") + font_paths("din"))
    draw_text(image, code, path, (2, height * 0.58, band - 2, height * 0.9), (255, 255, 255, 255), r, spacing=0.05,
              height=height * r.uniform(0.2, 0.28))
    return band


# country: (weight, patterns, background, ink, fonts, band code)
EU_COUNTRIES = {
    "D": (5, ["LLL LL DDD", "LL LL DDDD", "LLL L DDDD", "L LL DDDD", "LL L DDDD", "LLL L DDD", "L LL DDDE", "LL L DDDH"], "white", "black", "din"),
    "F": (3, ["LL-DDD-LL"], "white", "black", "condensed"),
    "I": (2, ["LL DDDLL"], "white", "black", "condensed"),
    "E": (2, ["DDDD SSS"], "white", "black", "din"),
    "NL": (2, ["DD-LLL-D", "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "D-LL-DDD", "LL-LL-DD"], "yellow", "black", "condensed"),
    "PL": (3, ["LL DDDDD", "LLL DDLL", "LL DDDLL", "LLL DDDD", "LL DDDDL"], "white", "black", "din"),
    "CZ": (3, ["DLD DDDD", "DLL DDDD"], "white", "black", "din"),
    "SK": (2, ["LL-DDDLL", "LL DDDLL"], "white", "black", "din"),
    "N": (3, ["LL DDDDD", "LL DDDD"], "white", "black", "din"),
    "B": (1, ["D-LLL-DDD"], "white", "red", "condensed"),
    "A": (1, ["L DDDDL", "LL DDDL", "LL DDDLL"], "white", "black", "din"),
    "GB": (2, ["LLDD LLL"], "white_or_yellow", "black", "condensed"),
    "S": (1, ["LLL DDL", "LLL DDD"], "white", "black", "din"),
    "DK": (1, ["LL DD DDD"], "white", "black", "sans"),
    "P": (1, ["LL-DD-LL", "DD-LL-DD"], "white", "black", "sans"),
    "FIN": (1, ["LLL-DDD"], "white", "black", "din"),
    "H": (1, ["LLL-DDD", "LL LL-DDD"], "white", "black", "din"),
    "RO": (1, ["LL DD LLL", "L DDD LLL"], "white", "black", "din"),
    "LT": (1, ["LLL DDD"], "white", "black", "din"),
    "HR": (1, ["LL DDDD-LL"], "white", "black", "din"),
}


def render_eu(r):
    countries = list(EU_COUNTRIES)
    code = r.choices(countries, weights=[EU_COUNTRIES[c][0] for c in countries])[0]
    _, patterns, background, ink, family = EU_COUNTRIES[code]
    pattern = r.choice(patterns)
    # A trailing E or H (German electric / historic) stays as written. Many series leave out I, O and Q, but not all
    # (German district codes, Polish, Norwegian, vanity plates): without them the model learns that a round character
    # is a 0 and reads OW22NER as 0W22NER (seen in session 12); a third of the plates draw from all 26 letters.
    display = fill(pattern, r, LETTERS if r.random() < 0.35 else LETTERS_NO_IOQ)
    if background == "white_or_yellow":
        background = r.choice(["white", "yellow"])
    bg = jitter((246, 246, 240) if background == "white" else (250, 206, 10), r, 8)
    ink_color = jitter((20, 20, 20) if ink == "black" else (190, 20, 30), r, 15)
    width, height = 320, int(320 / r.uniform(4.3, 4.9))
    image, draw = base(width, height, bg, r, border=(20, 20, 20, 255) if r.random() < 0.8 else None,
                       border_width=r.randint(1, 3))
    if code == "A":  # red-white-red stripes
        draw.rectangle((0, 0, width, height * 0.1), fill=(200, 16, 46, 255))
        draw.rectangle((0, height * 0.9, width, height), fill=(200, 16, 46, 255))
    if code == "DK":
        draw.rectangle((2, 2, width - 3, height - 3), outline=(200, 16, 46, 255), width=3)
    left = 0
    if not (code == "GB" and r.random() < 0.3):
        flag = (186, 12, 47, 255) if code == "N" else None
        left = eu_band(image, draw, width, height, "UK" if code == "GB" and r.random() < 0.5 else code, r, flag)
    right = width
    if code in ("F", "I", "P"):  # the blue band at the right: a region or year, not part of the number
        band = int(width * r.uniform(0.08, 0.1))
        right = width - band
        color = (250, 206, 10, 255) if code == "P" else jitter((0, 51, 153), r, 10)
        draw.rectangle((right, 0, width, height), fill=color)
        small = fill(r.choice(["DD", "D D", "LL"]), r)
        draw_text(image, small, r.choice(font_paths("sans")), (right + 2, height * 0.55, width - 2, height * 0.85),
                  (255, 255, 255, 255), r, height=height * 0.2)
    path = r.choice(font_paths(family) + font_paths("din") + font_paths("condensed"))
    cap = height * r.uniform(0.6, 0.78)
    if code == "D" and r.random() < 0.85:
        # The two round seals between the district and the letters.
        district, rest = display.split(" ", 1)
        b1 = draw_text(image, district, path, (left + 8, (height - cap) / 2, width, (height + cap) / 2), ink_color, r,
                       align="left", height=cap)
        x = b1[2] + height * 0.08
        seal = height * 0.3
        draw.ellipse((x, height * 0.16, x + seal, height * 0.16 + seal), fill=jitter(r.choice([(60, 110, 170), (200, 60, 50), (90, 160, 80), (220, 170, 40)]), r, 30))
        draw.ellipse((x, height * 0.54, x + seal, height * 0.54 + seal), fill=jitter((180, 180, 185), r, 20))
        b2 = draw_text(image, rest, path, (x + seal + height * 0.08, (height - cap) / 2, right - 6, (height + cap) / 2),
                       ink_color, r, align="left", height=cap)
        box = (b1[0], min(b1[1], b2[1]), b2[2], max(b1[3], b2[3]))
    else:
        box = draw_text(image, display, path, (left + 6, (height - cap) / 2, right - 6, (height + cap) / 2), ink_color, r,
                        height=cap)
    return Plate(image, normalise(display), "eu", box)


US_STATES = [
    # name, patterns, ink, top colour, slogans
    ("California", ["DLLLDDD"], (20, 30, 110), (190, 20, 30), ["DMV.CA.GOV", "", "SUNSHINE"]),
    ("TEXAS", ["LLL-DDDD", "LL L DDDD", "LLL DDDD"], (15, 15, 15), (15, 15, 15), ["THE LONE STAR STATE", ""]),
    ("NEW YORK", ["LLL-DDDD"], (20, 40, 110), (20, 40, 110), ["EXCELSIOR", "THE EMPIRE STATE"]),
    ("Florida", ["LLL-LDD", "LLL LDD", "DDD-LLL"], (20, 90, 40), (20, 90, 40), ["SUNSHINE STATE", "MIAMI-DADE"]),
    ("ILLINOIS", ["LL DDDDD", "L DDD DDD"], (20, 20, 20), (120, 20, 20), ["LAND OF LINCOLN"]),
    ("PENNSYLVANIA", ["LLL-DDDD"], (20, 40, 110), (240, 200, 60), ["visitPA.com"]),
    ("NEW JERSEY", ["LDD-LLL", "LLL-DDL"], (20, 20, 20), (20, 20, 20), ["GARDEN STATE"]),
    ("ARIZONA", ["LLLDDDD", "LLL DDDD"], (120, 20, 20), (20, 40, 110), ["GRAND CANYON STATE"]),
    ("WASHINGTON", ["LLLDDDD", "LLL DDDD"], (20, 40, 110), (20, 40, 110), ["EVERGREEN STATE"]),
    ("Massachusetts", ["DLLD DD", "DLL DDD", "DDD LL D"], (120, 20, 20), (120, 20, 20), ["The Spirit of America"]),
    ("OHIO", ["LLL DDDD"], (20, 20, 20), (20, 40, 110), ["BIRTHPLACE OF AVIATION"]),
    ("GEORGIA", ["LLL DDDD", "LLLDDDD"], (20, 20, 20), (20, 20, 20), ["IN GOD WE TRUST", "FULTON"]),
    ("Nevada", ["DLL-DDD", "DDL-DDD"], (20, 40, 110), (20, 40, 110), ["THE SILVER STATE"]),
    ("COLORADO", ["LLL-LDD", "DDD-LLL"], (20, 20, 20), (30, 110, 50), [""]),
    ("MICHIGAN", ["LLL DDDD", "DLLDDD"], (20, 20, 20), (20, 40, 110), ["PURE MICHIGAN", "GREAT LAKES"]),
]


def render_us(r):
    name, patterns, ink, top_color, slogans = r.choice(US_STATES)
    if r.random() < 0.1:  # vanity plates: 2 to 7 letters and digits of free choice
        display = fill("X" * r.randint(2, 7), r, LETTERS)
        if not any(c.isdigit() for c in display) and r.random() < 0.5:
            display = display[:-1] + r.choice(DIGITS)
    else:
        display = fill(r.choice(patterns), r, LETTERS_NO_IOQ if r.random() < 0.7 else LETTERS)
    ink = jitter(ink, r, 20)
    width, height = 300, int(300 / r.uniform(1.85, 2.1))
    style = r.random()
    if style < 0.5:
        bg = jitter((244, 244, 240), r, 10)
    elif style < 0.8:
        bg = jitter(r.choice([(250, 240, 200), (225, 235, 250), (235, 245, 230), (250, 225, 200)]), r, 10)
    else:
        bg = jitter((238, 238, 238), r, 10)
    image, draw = base(width, height, bg, r, radius=r.randint(4, 16), border=jitter(ink, r, 20) if r.random() < 0.5 else None)
    if style >= 0.8:  # a pictorial background: soft shapes of colour
        layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        ld = ImageDraw.Draw(layer)
        for _ in range(r.randint(2, 6)):
            x, y, s = r.uniform(0, width), r.uniform(0, height), r.uniform(20, 140)
            ld.ellipse((x - s, y - s / 2, x + s, y + s / 2), fill=jitter(r.choice([(240, 170, 80), (120, 180, 230), (130, 200, 120), (230, 120, 120)]), r, 30)[:3] + (r.randint(60, 140),))
        from PIL import ImageFilter
        layer = layer.filter(ImageFilter.GaussianBlur(8))
        alpha = np.array(image.split()[3])
        image.alpha_composite(layer)
        image.putalpha(Image.fromarray(alpha))
        draw = ImageDraw.Draw(image)
    top_path = r.choice(font_paths("serif") + font_paths("sans") + font_paths("condensed"))
    top_name = name if r.random() < 0.8 else name.upper()
    draw_text(image, top_name, top_path, (width * 0.18, height * 0.05, width * 0.82, height * 0.24), jitter(top_color, r, 20), r,
              squeeze=(0.8, 1.2), height=height * r.uniform(0.11, 0.17))
    slogan = r.choice(slogans)
    if slogan:
        draw_text(image, slogan.upper() if r.random() < 0.5 else slogan, r.choice(font_paths("sans") + font_paths("condensed")),
                  (width * 0.15, height * 0.82, width * 0.85, height * 0.96), jitter(top_color, r, 20), r, height=height * r.uniform(0.07, 0.11))
    for corner in range(r.randint(0, 2)):  # registration stickers in the top corners
        sx = 8 if corner == 0 else width - 8 - width * 0.13
        sticker = (sx, 6, sx + width * 0.13, 6 + height * 0.18)
        draw.rectangle(sticker, fill=jitter(r.choice([(230, 60, 60), (60, 160, 80), (240, 200, 40), (60, 90, 200), (240, 240, 240)]), r, 20))
        draw_text(image, fill(r.choice(["DD", "D", "LLL"]), r), r.choice(font_paths("sans")),
                  (sticker[0] + 2, sticker[1] + 2, sticker[2] - 2, sticker[3] - 2), (20, 20, 20, 255), r)
    path = r.choice(font_paths("condensed") + font_paths("din") + font_paths("condensed"))
    cap = height * r.uniform(0.4, 0.55)
    cy = height * r.uniform(0.5, 0.56)
    box = draw_text(image, display, path, (width * 0.06, cy - cap / 2, width * 0.94, cy + cap / 2), ink, r, squeeze=(0.8, 1.15), height=cap)
    return Plate(image, normalise(display), "us", box)


BR_CITIES = ["SP - SAO PAULO", "RJ - RIO DE JANEIRO", "MG - BELO HORIZONTE", "PR - CURITIBA", "SP - CAMPINAS",
             "RS - PORTO ALEGRE", "BA - SALVADOR", "SC - JOINVILLE", "GO - GOIANIA", "PE - RECIFE", "DF - BRASILIA"]


def render_br(r):
    width = 320
    if r.random() < 0.5:  # old grey plate: AAA-9999, the city on a strip at the top
        display = fill("LLL-DDDD" if r.random() < 0.8 else "LLL DDDD", r, LETTERS)
        red = r.random() < 0.12  # commercial vehicles: red plate, white text
        bg = jitter((200, 30, 35), r, 15) if red else jitter((190, 192, 192), r, 18)
        ink = (240, 240, 240, 255) if red else jitter((25, 25, 25), r, 10)
        height = int(width / r.uniform(3.0, 3.2))
        image, draw = base(width, height, bg, r, radius=r.randint(3, 10), border=ink, border_width=r.randint(2, 4))
        draw_text(image, r.choice(BR_CITIES), r.choice(font_paths("sans") + font_paths("condensed")),
                  (width * 0.15, height * 0.05, width * 0.85, height * 0.22), ink, r, height=height * 0.13)
        cap = height * r.uniform(0.5, 0.6)
        cy = height * 0.6
        box = draw_text(image, display, r.choice(font_paths("din") + font_paths("condensed")),
                        (width * 0.04, cy - cap / 2, width * 0.96, cy + cap / 2), ink, r, height=cap)
    else:  # Mercosur: white, blue band with BRASIL, AAA9A99
        display = fill("LLLDLDD", r, LETTERS)
        height = int(width / r.uniform(3.0, 3.2))
        image, draw = base(width, height, jitter((245, 245, 245), r, 8), r, radius=r.randint(4, 12),
                           border=(20, 20, 20, 255), border_width=r.randint(1, 3))
        band = height * r.uniform(0.2, 0.26)
        draw.rounded_rectangle((0, 0, width - 1, band), 6, fill=jitter((0, 60, 160), r, 10))
        draw_text(image, "BRASIL", r.choice(font_paths("sans")), (width * 0.3, band * 0.15, width * 0.7, band * 0.85),
                  (255, 255, 255, 255), r, height=band * 0.6)
        draw.rectangle((width * 0.88, band * 0.15, width * 0.96, band * 0.85), fill=(0, 150, 60, 255))
        draw.rectangle((width * 0.03, band * 0.15, width * 0.1, band * 0.85), fill=(240, 240, 240, 255))
        ink = jitter((20, 20, 20), r, 10)
        draw_text(image, "BR", r.choice(font_paths("sans")), (width * 0.02, height * 0.7, width * 0.09, height * 0.92),
                  ink, r, height=height * 0.12)
        cap = height * r.uniform(0.5, 0.6)
        cy = band + (height - band) * 0.5
        box = draw_text(image, display, r.choice(font_paths("din") + font_paths("condensed")),
                        (width * 0.1, cy - cap / 2, width * 0.94, cy + cap / 2), ink, r, height=cap)
    return Plate(image, normalise(display), "br", box)


def render_cn(r):
    blue = r.random() < 0.65
    letters = LETTERS_NO_IOQ.replace("Q", "")
    province = r.choice(PROVINCES)
    if blue:
        rest = [r.choice(DIGITS) for _ in range(5)]
        for _ in range(r.randint(0, 2)):
            rest[r.randrange(5)] = r.choice(letters)
        chars = province + r.choice(letters) + "".join(rest)
        width, height = 300, 96
        bg = jitter((r.randint(0, 30), r.randint(50, 80), r.randint(170, 220)), r, 5)
        ink = jitter((248, 248, 248), r, 6)
    else:
        energy = r.choice("DF")
        if r.random() < 0.33:
            chars = province + r.choice(letters) + fill("DDDDD", r) + energy
        else:
            chars = province + r.choice(letters) + energy + r.choice(letters + DIGITS) + fill("DDDD", r)
        width, height = 320, 94
        bg = (0, 0, 0, 0)
        ink = jitter((12, 12, 12), r, 8)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if blue:
        draw.rounded_rectangle((0, 0, width - 1, height - 1), 7, fill=bg)
        draw.rounded_rectangle((4, 4, width - 5, height - 5), 5, outline=(240, 240, 240, 255), width=2)
    else:
        top = np.array([236, 250, 236], float)
        bottom = np.array([r.randint(60, 110), r.randint(190, 220), r.randint(90, 130)], float)
        t = np.clip((np.linspace(0, 1, height) - 0.15) / 0.85, 0, 1)[:, None]
        rows = (top * (1 - t) + bottom * t).astype(np.uint8)
        gradient = Image.fromarray(np.repeat(rows[:, None, :], width, axis=1), "RGB").convert("RGBA")
        mask = Image.new("L", (width, height), 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, width - 1, height - 1), 7, fill=255)
        image.paste(gradient, (0, 0), mask)
        draw.rounded_rectangle((2, 2, width - 3, height - 3), 6, outline=(40, 40, 40, 255), width=2)
    n = len(chars)
    latin = r.choice(font_paths("condensed") + font_paths("din") + font_paths("sans"))
    left, right = width * 0.045, width * 0.955
    gap = width * (0.05 if blue else 0.06)
    pitch = (right - left - gap) / n
    char_h = height * r.uniform(0.6, 0.7)
    y0 = (height - char_h) / 2
    boxes = []
    for i, ch in enumerate(chars):
        x = left + i * pitch + (gap if i >= 2 else 0)
        path = font_paths("cjk")[0] if i == 0 else latin
        boxes.append(draw_text(image, ch, path, (x + pitch * 0.06, y0, x + pitch * 0.94, y0 + char_h), ink, r,
                               squeeze=(0.75, 1.0), height=char_h))
    dot_x = left + 2 * pitch + gap / 2
    draw.ellipse((dot_x - 3, height / 2 - 3, dot_x + 3, height / 2 + 3), fill=ink)
    box = (boxes[0][0], min(b[1] for b in boxes), boxes[-1][2], max(b[3] for b in boxes))
    return Plate(image, chars, "cn", box)


RENDERERS = {"eu": render_eu, "us": render_us, "br": render_br, "cn": render_cn}
REGION_WEIGHTS = {"eu": 0.35, "us": 0.3, "br": 0.15, "cn": 0.2}


def render_random(r: _random.Random, region=None):
    if region is None:
        regions = list(REGION_WEIGHTS)
        region = r.choices(regions, weights=[REGION_WEIGHTS[x] for x in regions])[0]
    return RENDERERS[region](r)
