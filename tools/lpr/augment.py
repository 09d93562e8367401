"""From a flat plate to what a camera crop of it looks like: the plate on a car with a holder, bolts, stickers and
dirt, seen under perspective and rotation, cropped tight or loose the way a localiser would, at the camera's
resolution, through defocus and motion blur, light (low light, glare, shadows, colour casts, infrared monochrome),
sensor noise and JPEG; then stretched to the network's input size.

sample(seed) is a pure function of its seed: the training stream and the validation set are both made of it.
"""
import io
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from model import INPUT_HEIGHT, INPUT_WIDTH
from plates import DIGITS, LETTERS, draw_text, fill, font_paths, jitter, render_random

CAR_COLORS = [(235, 235, 235), (20, 20, 22), (140, 142, 145), (190, 192, 195), (150, 20, 25), (20, 45, 110),
              (30, 70, 40), (90, 60, 40), (220, 200, 160), (60, 60, 65), (240, 240, 245), (200, 120, 30)]


def homography(src, dst):
    """3x3 H with dst ~ H @ src for four point pairs."""
    a = []
    for (x, y), (u, v) in zip(src, dst):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
    a = np.array(a, float)
    h = np.linalg.solve(a[:, :8], a[:, 8])
    return np.append(h, 1).reshape(3, 3)


def apply(h, points):
    p = np.c_[np.asarray(points, float), np.ones(len(points))] @ h.T
    return p[:, :2] / p[:, 2:3]


def decorate(plate, r):
    """Bolts, stickers and dirt on the flat plate."""
    image = plate.image
    draw = ImageDraw.Draw(image)
    w, h = image.size
    x0, y0, x1, y1 = plate.text_box
    if r.random() < 0.5:  # bolts in the margins above and below the characters (or at the sides)
        s = r.uniform(3, 7)
        color = jitter(r.choice([(200, 200, 205), (120, 120, 125), (40, 40, 40), (230, 230, 200)]), r, 20)
        spots = [(w * 0.22, y0 / 2), (w * 0.78, y0 / 2)] if y0 > 2 * s + 2 else [(w * 0.03, h / 2), (w * 0.97, h / 2)]
        if r.random() < 0.4:
            spots += [(w * 0.22, (y1 + h) / 2), (w * 0.78, (y1 + h) / 2)] if h - y1 > 2 * s + 2 else []
        for x, y in spots:
            draw.ellipse((x - s, y - s, x + s, y + s), fill=color, outline=(30, 30, 30, 255))
    if r.random() < 0.15:  # a sticker on the plate, away from the characters most of the time
        sw, sh = r.uniform(10, 30), r.uniform(8, 22)
        x = r.choice([r.uniform(0, max(1, x0 - sw)), r.uniform(min(x1, w - sw - 1), w - sw), r.uniform(0, w - sw)])
        y = r.uniform(0, h - sh)
        draw.rectangle((x, y, x + sw, y + sh), fill=jitter(r.choice([(230, 60, 60), (60, 160, 80), (240, 200, 40), (250, 250, 250)]), r, 25))
    if r.random() < 0.3:  # dirt: brownish soft blotches
        layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        ld = ImageDraw.Draw(layer)
        for _ in range(r.randint(1, 12)):
            x, y, s = r.uniform(0, w), r.uniform(0, h), r.uniform(2, 30)
            ld.ellipse((x - s, y - s * r.uniform(0.3, 1), x + s, y + s), fill=(r.randint(60, 120), r.randint(50, 90), r.randint(30, 60), r.randint(30, 140)))
        layer = layer.filter(ImageFilter.GaussianBlur(r.uniform(1, 4)))
        alpha = image.getchannel("A")
        image.alpha_composite(layer)
        image.putalpha(alpha)
    return image


def car(width, height, r):
    """A car's rear or front: body colour with shading, bumper lines, maybe a grille, badges and lights."""
    color = np.array(jitter(r.choice(CAR_COLORS), r, 15)[:3], float)
    shade = 1 + r.uniform(-0.35, 0.35) * (np.linspace(0, 1, height)[:, None] - 0.5)
    column = np.clip(color[None, :] * shade, 0, 255).astype(np.uint8)[:, None, :]
    image = Image.fromarray(column, "RGB").resize((width, height), Image.Resampling.NEAREST)
    draw = ImageDraw.Draw(image)
    for _ in range(r.randint(0, 4)):  # panel gaps and bumper edges
        y = r.uniform(0, height)
        draw.line((0, y, width, y + r.uniform(-10, 10)), fill=tuple(int(c * r.uniform(0.3, 1.4)) % 256 for c in color), width=r.randint(1, 4))
    if r.random() < 0.3:  # a grille
        gy = r.uniform(0, height * 0.3)
        for k in range(r.randint(3, 8)):
            y = gy + k * r.uniform(4, 9)
            draw.line((width * 0.1, y, width * 0.9, y), fill=(25, 25, 25), width=r.randint(1, 3))
    if r.random() < 0.3:  # a badge or text on the body (not the plate's)
        x = r.uniform(0, width * 0.8)
        y = r.choice([r.uniform(0, height * 0.2), r.uniform(height * 0.8, height * 0.95)])
        draw_text(image, fill(r.choice(["LLLL", "LLLLL", "LDD", "LLL LLL"]), r, LETTERS), r.choice(font_paths("sans")),
                  (x, y, x + width * 0.25, y + height * 0.08), (200, 200, 200, 255), r)
    if r.random() < 0.3:  # tail lights at the sides
        for x in (r.uniform(0, width * 0.1), r.uniform(width * 0.85, width * 0.95)):
            draw.rectangle((x, height * 0.1, x + width * 0.08, height * 0.3), fill=jitter((180, 20, 20), r, 30))
    return image


def holder(plate_size, r):
    """A plate holder or dealer frame a little larger than the plate; None for none."""
    if r.random() < 0.35:
        return None, (0, 0)
    w, h = plate_size
    mx = int(w * r.uniform(0.01, 0.06))
    top = int(h * r.uniform(0.02, 0.12))
    bottom = int(h * r.uniform(0.02, 0.25))
    frame = Image.new("RGBA", (w + 2 * mx, h + top + bottom), (0, 0, 0, 0))
    draw = ImageDraw.Draw(frame)
    color = jitter(r.choice([(20, 20, 22), (30, 30, 35), (190, 190, 195), (120, 120, 125)]), r, 10)
    draw.rounded_rectangle((0, 0, frame.width - 1, frame.height - 1), r.randint(3, 14), fill=color)
    if bottom > h * 0.12 and r.random() < 0.6:  # dealer text on the frame (not part of the plate)
        ink = (230, 230, 230, 255) if sum(color[:3]) < 300 else (20, 20, 20, 255)
        draw_text(frame, r.choice(["AUTO MALL", "TOYOTA OF", "FORD CENTER", "AUTOHAUS", "HONDA", "CARMAX", "MOTORS INC"]) + fill(r.choice(["", " DD", " LL"]), r),
                  r.choice(font_paths("sans") + font_paths("condensed")), (mx, top + h + 1, mx + w, frame.height - 1), ink, r,
                  height=bottom * 0.6)
    return frame, (mx, top)


def lighting(a, r):
    """a: float H x W x 3 in 0..255. Gain, gamma, colour cast, shadow gradient, glare."""
    h, w, _ = a.shape
    gain = r.choices([r.uniform(0.25, 0.5), r.uniform(0.5, 1.0), r.uniform(0.8, 1.3)], weights=[1, 3, 3])[0]
    a = a * gain * np.array([r.uniform(0.85, 1.15) for _ in range(3)])
    if r.random() < 0.35:  # a shadow edge across the plate
        yy, xx = np.mgrid[0:h, 0:w]
        angle = r.uniform(0, np.pi)
        d = (xx - w * r.uniform(0.2, 0.8)) * np.cos(angle) + (yy - h * r.uniform(0.2, 0.8)) * np.sin(angle)
        softness = r.uniform(1, w * 0.2)
        a = a * (1 - r.uniform(0.3, 0.75) / (1 + np.exp(-d / softness)))[..., None]
    if r.random() < 0.2:  # glare: a bright soft blob
        yy, xx = np.mgrid[0:h, 0:w]
        cx, cy = r.uniform(0, w), r.uniform(0, h)
        sx, sy = r.uniform(0.05, 0.4) * w, r.uniform(0.1, 0.8) * h
        a = a + r.uniform(50, 170) * np.exp(-(((xx - cx) / sx) ** 2 + ((yy - cy) / sy) ** 2))[..., None]
    a = np.clip(a, 0, 255)
    gamma = r.uniform(0.7, 1.4)
    return 255.0 * (a / 255.0) ** gamma


def motion_blur(a, r, longest):
    length = r.randint(2, longest)
    angle = r.uniform(0, np.pi)
    dx, dy = np.cos(angle), np.sin(angle)
    out = np.zeros_like(a)
    for k in range(length):
        t = k - (length - 1) / 2
        out += np.roll(np.roll(a, int(round(t * dy)), 0), int(round(t * dx)), 1)
    return out / length


def sample(seed, region=None, network_size=True):
    """One training image (uint8, INPUT_HEIGHT x INPUT_WIDTH x 3, RGB) and its label and region; with
    network_size=False the crop at the camera's resolution, before it is stretched to the network's input."""
    r = random.Random(seed)
    plate = render_random(r, region)
    flat = decorate(plate, r)
    pw, ph = flat.size

    # The scene around the plate, in plate pixels.
    frame, (fx, fy) = holder(flat.size, r)
    margin_x, margin_y = int(pw * 0.6), int(ph * 1.2)
    canvas = car(pw + 2 * margin_x, ph + 2 * margin_y, r).convert("RGBA")
    if frame is not None:
        canvas.alpha_composite(frame, (margin_x - fx, margin_y - fy))
    if r.random() < 0.3:  # a little shadow under the plate's top edge
        shade = Image.new("RGBA", flat.size, (0, 0, 0, 0))
        ImageDraw.Draw(shade).rectangle((0, 0, pw, ph * r.uniform(0.05, 0.3)), fill=(0, 0, 0, r.randint(30, 110)))
        shade = shade.filter(ImageFilter.GaussianBlur(3))
        flat = flat.copy()
        alpha = flat.getchannel("A")
        flat.alpha_composite(shade)
        flat.putalpha(alpha)
    canvas.alpha_composite(flat, (margin_x, margin_y))
    canvas = canvas.convert("RGB")

    # Where the plate lands in the camera's view: perspective (yaw, pitch), rotation, shear.
    corners = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], float) + [margin_x, margin_y]
    tx0, ty0, tx1, ty1 = plate.text_box
    text = np.array([[tx0, ty0], [tx1, ty0], [tx1, ty1], [tx0, ty1]], float) + [margin_x, margin_y]
    yaw = r.uniform(-0.25, 0.25) if r.random() < 0.7 else r.uniform(-0.45, 0.45)
    pitch = r.uniform(-0.15, 0.15)
    halfw, halfh = pw / 2, ph / 2
    local = np.array([[-halfw * (1 + pitch), -halfh * (1 - yaw)], [halfw * (1 + pitch), -halfh * (1 + yaw)],
                      [halfw * (1 - pitch), halfh * (1 + yaw)], [-halfw * (1 - pitch), halfh * (1 - yaw)]])
    local[:, 0] += local[:, 1] * r.uniform(-0.15, 0.15)  # shear
    angle = np.deg2rad(r.uniform(-4, 4) if r.random() < 0.7 else r.uniform(-12, 12))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    view = local @ rot.T
    to_view = homography(corners, view)

    # The crop a localiser would hand over: around the characters, tight (edges on or just inside the ink:
    # dropped first/last letters came from such crops), normal, or loose (some car around the plate).
    kind = r.random()
    if kind < 0.3:
        box_points, mx, my = apply(to_view, text), (-0.015, 0.04), (-0.04, 0.12)
    elif kind < 0.75:
        box_points, mx, my = apply(to_view, corners), (-0.02, 0.06), (-0.05, 0.15)
    else:
        box_points, mx, my = apply(to_view, corners), (0.05, 0.3), (0.1, 0.6)
    bx0, by0 = box_points.min(0)
    bx1, by1 = box_points.max(0)
    bw, bh = bx1 - bx0, by1 - by0
    bx0 -= bw * r.uniform(*mx)
    bx1 += bw * r.uniform(*mx)
    by0 -= bh * r.uniform(*my)
    by1 += bh * r.uniform(*my)

    # The camera's resolution: the plate's width in camera pixels, from barely readable to close.
    plate_px = r.choice([r.uniform(45, 80), r.uniform(70, 150), r.uniform(120, 260)])
    plate_view_w = np.ptp(apply(to_view, corners)[:, 0])
    out_w = int(max(24, plate_px * (bx1 - bx0) / plate_view_w))
    out_h = max(8, int(round(out_w * (by1 - by0) / (bx1 - bx0))))
    # Shrink the canvas first (area filter) so the warp below does not alias more than a camera would.
    scale = out_w / (bx1 - bx0) * np.linalg.norm(apply(to_view, corners[1:2]) - apply(to_view, corners[0:1])) / pw
    if scale < 0.7:
        factor = max(scale * r.uniform(1.0, 1.6), 0.05)
        small = canvas.resize((max(1, int(canvas.width * factor)), max(1, int(canvas.height * factor))), Image.Resampling.BOX)
        canvas_scale = np.diag([small.width / canvas.width, small.height / canvas.height, 1.0])
        canvas = small
        to_view = to_view @ np.linalg.inv(canvas_scale)
    # Output pixel -> view -> canvas.
    out_to_view = np.array([[(bx1 - bx0) / out_w, 0, bx0], [0, (by1 - by0) / out_h, by0], [0, 0, 1]])
    m = np.linalg.inv(to_view) @ out_to_view
    m = m / m[2, 2]
    crop = canvas.transform((out_w, out_h), Image.Transform.PERSPECTIVE, tuple(m.flatten()[:8]), Image.Resampling.BILINEAR)

    # Optics and light, at the camera's resolution.
    a = np.asarray(crop, dtype=np.float32)
    # Blur in proportion to the plate's size, so that a small plate stays (barely) legible.
    character_px = plate_px / 8
    if r.random() < 0.5:
        radius = r.uniform(0.2, 0.12 * character_px)
        a = np.asarray(Image.fromarray(a.astype(np.uint8)).filter(ImageFilter.GaussianBlur(radius)), np.float32)
    if r.random() < 0.2 and character_px > 12:
        a = motion_blur(a, r, max(2, int(character_px * 0.25)))
    a = lighting(a, r)
    if r.random() < 0.12:  # infrared night camera: monochrome, the retroreflective plate bright
        g = a.mean(axis=2, keepdims=True)
        a = np.repeat(np.clip((g - g.mean()) * r.uniform(1.0, 1.8) + g.mean() + r.uniform(0, 40), 0, 255), 3, axis=2)
    noise = r.choice([0, r.uniform(1, 6), r.uniform(4, 14)])
    if noise:
        a = a + np.random.default_rng(seed).normal(0, noise, a.shape)
    image = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if r.random() < 0.8:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=r.randint(15, 95))
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    if network_size:
        image = image.resize((INPUT_WIDTH, INPUT_HEIGHT), Image.Resampling.BILINEAR)
    return np.asarray(image, np.uint8), plate.label, plate.region


def to_tensor_array(image):
    """H x W x 3 uint8 RGB -> 3 x H x W float32 in -1..1, the network's input (and the C# reader's)."""
    return (image.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)
