"""Checks exported results with readers that share no code with the library (Debian's python3-tifffile, python3-skimage).

For every NAME in FOLDER that has NAME-labels.(tif|png) (the label map the exports were made from) and optionally
NAME-image.(tif|png) (the raw input channel), checks whichever of these exist:
  NAME.ome.tif  tifffile sees an OME-TIFF whose pixels equal the label map and whose PhysicalSize* equal the pixel size
                recorded in NAME-labels.tif (ImageJ calibration or resolution tags), and claims none when that has none;
  NAME.geojson  a FeatureCollection whose features, rasterised by skimage.draw.polygon (pixel centres, even-odd), give
                back every label in every slice, with QuPath's objectType, the label as name and the slice as plane.z;
  NAME.csv      every column equals scikit-image's regionprops of the label map (and intensity image) to 1e-9.
Usage: /usr/bin/python3 check_exports.py FOLDER
       /usr/bin/python3 check_exports.py --segmented OUT IMAGES
The second form checks what `adgan segment --export ...` wrote: OUT/exports/STEM.* against the label map OUT/STEM.png|tif
and the input IMAGES/STEM.* (or IMAGES/STEM itself where the output name kept the extension), subfolders included.
"""
import csv
import json
import math
import os
import sys
import xml.etree.ElementTree as ET

import numpy as np
import skimage
import tifffile
from skimage.draw import polygon as draw_polygon
from skimage.measure import regionprops


def read_any(path):
    if path.endswith((".tif", ".tiff")):
        return tifffile.imread(path)
    import skimage.io
    return skimage.io.imread(path)


def pixel_size(path):
    """(z, y, x) micrometres recorded in a TIFF written by the library (ImageJ description + resolution), or None."""
    if not path.endswith((".tif", ".tiff")):
        return None
    with tifffile.TiffFile(path) as tif:
        page = tif.pages[0]
        tags = page.tags
        if "XResolution" not in tags:
            return None
        xr = tags["XResolution"].value
        yr = tags["YResolution"].value
        x, y = xr[1] / xr[0], yr[1] / yr[0]
        z = float((tif.imagej_metadata or {}).get("spacing", 0))
        return (z, y, x)


def find(folder, stem, suffixes):
    for s in suffixes:
        p = os.path.join(folder, stem + s)
        if os.path.exists(p):
            return p
    return None


def check_ome(path, labels, size, failures):
    with tifffile.TiffFile(path) as tif:
        if not tif.is_ome:
            failures.append(f"{path}: tifffile does not see an OME-TIFF")
            return
        series = tif.series[0]
        data = series.asarray()
        root = ET.fromstring(tif.ome_metadata)
    ns = {"ome": root.tag.split("}")[0].strip("{")}
    px = root.find(".//ome:Pixels", ns)
    if data.shape != labels.shape or not np.array_equal(data, labels):
        failures.append(f"{path}: pixels differ from the label map ({data.shape} vs {labels.shape})")
    for axis, index in (("X", 2), ("Y", 1), ("Z", 0)):
        value = px.get("PhysicalSize" + axis)
        want = None if size is None or (axis == "Z" and (labels.ndim == 2 or not size[0])) else size[index]
        if (value is None) != (want is None) or (want is not None and abs(float(value) - want) > 1e-9 * want):
            failures.append(f"{path}: PhysicalSize{axis} {value} but the input records {want}")
        if value is not None and px.get("PhysicalSize" + axis + "Unit", "µm") != "µm":
            failures.append(f"{path}: PhysicalSize{axis}Unit is {px.get('PhysicalSize' + axis + 'Unit')}")
    return f"OME-TIFF {series.axes} {data.dtype} {'x'.join(map(str, data.shape))}, PhysicalSize (X, Y, Z) = ({px.get('PhysicalSizeX')}, {px.get('PhysicalSizeY')}, {px.get('PhysicalSizeZ')})"


def check_geojson(path, labels, failures):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("type") != "FeatureCollection":
        failures.append(f"{path}: not a FeatureCollection")
        return
    volume = labels.ndim == 3
    stack = labels if volume else labels[np.newaxis]
    rebuilt = np.zeros_like(stack)
    kinds = {}
    for feature in doc["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        if props.get("objectType") not in ("detection", "annotation"):
            failures.append(f"{path}: objectType {props.get('objectType')}")
        label = int(props["name"])
        if props.get("measurements", {}).get("Label") != label:
            failures.append(f"{path}: feature {label} lacks its Label measurement")
        z = geometry.get("plane", {}).get("z", 0)
        if volume != ("plane" in geometry):
            failures.append(f"{path}: feature {label} plane {geometry.get('plane')}")
        kinds[geometry["type"]] = kinds.get(geometry["type"], 0) + 1
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        mask = np.zeros(stack.shape[1:], dtype=bool)
        for rings in polygons:
            for ring in rings:
                if ring[0] != ring[-1]:
                    failures.append(f"{path}: feature {label} has an open ring")
                xy = np.asarray(ring, dtype=float)
                # Corner coordinates: the centre of pixel (row r, column c) is at (c + 0.5, r + 0.5).
                rr, cc = draw_polygon(xy[:, 1] - 0.5, xy[:, 0] - 0.5, shape=mask.shape)
                ring_mask = np.zeros_like(mask)
                ring_mask[rr, cc] = True
                mask ^= ring_mask
        if np.any(rebuilt[z][mask]):
            failures.append(f"{path}: feature {label} (z {z}) overlaps another")
        rebuilt[z][mask] = label
    wrong = int(np.count_nonzero(rebuilt != stack))
    if wrong:
        failures.append(f"{path}: {wrong} pixels differ after rasterising the features")
    return f"GeoJSON {len(doc['features'])} features {kinds}, {wrong} pixels differ after rasterising with skimage.draw.polygon"


def check_csv(path, labels, image, size, failures):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    volume = labels.ndim == 3
    props = {p.label: p for p in regionprops(labels.astype(np.int64), intensity_image=None if image is None else image.astype(np.float64))}
    if sorted(int(r["label"]) for r in rows) != sorted(props):
        failures.append(f"{path}: labels differ from regionprops")
        return
    axes = ["z", "y", "x"] if volume else ["y", "x"]
    unit = 1.0
    if size is not None:
        unit = size[1] * size[2] * (size[0] if volume else 1.0)
        if volume and not size[0]:
            size = None
    compared, skipped = 0, []

    def same(name, got, want, label):
        nonlocal compared
        compared += 1
        if want is None:
            if got != "":
                failures.append(f"{path}: label {label} {name} = {got}, expected blank")
            return
        if got == "" or not math.isclose(float(got), float(want), rel_tol=1e-9, abs_tol=1e-9):
            failures.append(f"{path}: label {label} {name} = {got}, regionprops gives {want}")

    for r in rows:
        label = int(r["label"])
        p = props[label]
        size_col = "volume_vox" if volume else "area_px"
        same(size_col, r[size_col], p.area, label)
        same("volume_um3" if volume else "area_um2", r["volume_um3" if volume else "area_um2"], None if size is None else p.area * unit, label)
        for axis, value in zip(axes, p.centroid):
            same("centroid_" + axis, r["centroid_" + axis], value, label)
        n = len(axes)
        for i, axis in enumerate(axes):
            same("bbox_min_" + axis, r["bbox_min_" + axis], p.bbox[i], label)
            same("bbox_max_" + axis, r["bbox_max_" + axis], p.bbox[n + i], label)
        same("equivalent_diameter", r["equivalent_diameter_vox" if volume else "equivalent_diameter_px"], p.equivalent_diameter, label)
        physical = None if size is None else (2 * n * p.area * unit / math.pi) ** (1 / n)
        same("equivalent_diameter_um", r["equivalent_diameter_um"], physical, label)
        if not volume:
            same("eccentricity", r["eccentricity"], p.eccentricity, label)
        try:
            solidity = p.solidity
        except Exception as e:  # Qhull cannot hull voxels that all lie in one plane
            solidity = None
            skipped.append(f"label {label} solidity ({type(e).__name__})")
        if solidity is not None and math.isfinite(solidity):
            same("solidity", r["solidity"], solidity, label)
        elif solidity is not None:
            skipped.append(f"label {label} solidity (regionprops gives {solidity})")
        if image is not None:
            values = p.intensity_image[p.image]
            same("mean_intensity", r["mean_intensity"], p.mean_intensity, label)
            same("integrated_intensity", r["integrated_intensity"], float(values.sum()), label)
            same("max_intensity", r["max_intensity"], p.max_intensity, label)
        touches = any(b == 0 for b in p.bbox[:n]) or any(p.bbox[n + i] == labels.shape[i] for i in range(n))
        if r["touches_border"] != ("true" if touches else "false"):
            failures.append(f"{path}: label {label} touches_border {r['touches_border']}")
        compared += 1
    note = f"; not comparable: {', '.join(skipped)}" if skipped else ""
    return f"CSV {len(rows)} rows, {compared} values compared with regionprops{note}"


def golden_cases(folder):
    """(name, labels, image or None, exports base) for each NAME-labels.* of a folder of golden files."""
    for entry in sorted(os.listdir(folder)):
        if not entry.endswith(("-labels.tif", "-labels.png")):
            continue
        stem = entry.rsplit("-labels.", 1)[0]
        yield stem, os.path.join(folder, entry), find(folder, stem, ["-image.tif", "-image.tiff", "-image.png"]), os.path.join(folder, stem)


def segmented_cases(out, images):
    """(name, labels, input image, exports base) for each label map of an `adgan segment --export` output folder."""
    exports = os.path.join(out, "exports")
    bases = set()
    for root, _, files in os.walk(exports):
        for f in files:
            for suffix in (".rois.zip", ".geojson", ".ome.tif", ".csv"):
                if f.endswith(suffix):
                    bases.add(os.path.relpath(os.path.join(root, f[: -len(suffix)]), exports))
    for stem in sorted(bases):
        labels = find(out, stem, [".png", ".tif"])
        image = os.path.join(images, stem) if os.path.isfile(os.path.join(images, stem)) else find(images, stem, [".png", ".tif", ".tiff", ".jpg", ".jpeg", ".bmp"])
        yield stem, labels, image, os.path.join(exports, stem)


def main(cases):
    print(f"readers: tifffile {tifffile.__version__}, scikit-image {skimage.__version__}, numpy {np.__version__}")
    failures, checked = [], 0
    for stem, labels_path, image_path, base in cases:
        if labels_path is None:
            failures.append(f"{stem}: no label map beside the exports")
            continue
        labels = read_any(labels_path)
        image = None if image_path is None else read_any(image_path)
        if image is not None and image.shape != labels.shape:
            print(f"{stem}: the input is {image.shape} (channels?), the labels {labels.shape}; intensities not compared")
            image = None
        size = pixel_size(labels_path) or (None if image_path is None else pixel_size(image_path))
        for suffix, check in ((".ome.tif", lambda p: check_ome(p, labels, size, failures)),
                              (".geojson", lambda p: check_geojson(p, labels, failures)),
                              (".csv", lambda p: check_csv(p, labels, image, size, failures))):
            path = base + suffix
            if os.path.exists(path):
                print(f"{stem}: {check(path)}")
                checked += 1
    for f in failures:
        print("FAIL " + f)
    if checked == 0:
        print("FAIL nothing to check")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    if sys.argv[1] == "--segmented":
        sys.exit(main(list(segmented_cases(sys.argv[2], sys.argv[3]))))
    sys.exit(main(list(golden_cases(sys.argv[1]))))
