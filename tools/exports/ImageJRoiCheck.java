// Checks an ImageJ ROI set with ImageJ's own classes, headless: each .roi of the zip is decoded by ij.io.RoiDecoder and
// filled by ij.process.ImageProcessor.fill(Roi) (what Edit > Fill does) into a blank stack at the ROI's position, with the
// label its name gives; the result must equal the label map, which ImageJ's TIFF reader opens.
// Run: java -Djava.awt.headless=true -cp /usr/share/java/ij.jar ImageJRoiCheck.java ROIS.zip LABELS.tif
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.io.RoiDecoder;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

public class ImageJRoiCheck {
    public static void main(String[] args) throws Exception {
        ImagePlus labels = IJ.openImage(args[1]);
        if (labels == null)
            throw new IllegalStateException("ImageJ could not open " + args[1]);
        int w = labels.getWidth(), h = labels.getHeight(), d = labels.getStackSize();
        ImageStack filled = new ImageStack(w, h);
        for (int z = 0; z < d; z++)
            filled.addSlice(new FloatProcessor(w, h));
        int rois = 0, composite = 0, traced = 0, badNames = 0, badPositions = 0, overlaps = 0;
        try (ZipInputStream zip = new ZipInputStream(new FileInputStream(args[0]))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                byte[] bytes = readAll(zip);
                Roi roi = RoiDecoder.openFromByteArray(bytes);
                if (roi == null)
                    throw new IllegalStateException("ImageJ could not decode " + entry.getName());
                rois++;
                if (roi.getType() == Roi.COMPOSITE) composite++;
                if (roi.getType() == Roi.TRACED_ROI) traced++;
                String name = roi.getName();
                if (name == null || !entry.getName().equals(name + ".roi")) badNames++;
                int dash = name == null ? -1 : name.indexOf('-');
                int label = Integer.parseInt(dash < 0 ? name : name.substring(0, dash));
                int slice = roi.getZPosition() > 0 ? roi.getZPosition() : roi.getPosition();
                if (d == 1 ? slice != 0 : (slice < 1 || slice > d || !name.endsWith(String.format("-z%03d", slice)))) badPositions++;
                ImageProcessor ip = filled.getProcessor(Math.max(slice, 1));
                ImageProcessor mask = roi.getMask();
                java.awt.Rectangle r = roi.getBounds();
                for (int y = 0; y < r.height; y++)
                    for (int x = 0; x < r.width; x++)
                        if ((mask == null || mask.get(x, y) != 0) && ip.getf(r.x + x, r.y + y) != 0) overlaps++;
                ip.setValue(label);
                ip.fill(roi);
            }
        }
        long pixels = 0, wrong = 0, labelled = 0;
        ImageStack expected = labels.getStack();
        for (int z = 1; z <= d; z++) {
            ImageProcessor e = expected.getProcessor(z), f = filled.getProcessor(z);
            for (int i = 0; i < w * h; i++) {
                pixels++;
                if (e.getf(i) != 0) labelled++;
                if (e.getf(i) != f.getf(i)) wrong++;
            }
        }
        System.out.printf("imagej %s: %d ROIs (%d traced polygons, %d composite), %d of %d pixels labelled, %d pixels differ after filling, %d overlapping fills, %d bad names, %d bad positions%n",
            IJ.getFullVersion(), rois, traced, composite, labelled, pixels, wrong, overlaps, badNames, badPositions);
        System.exit(wrong == 0 && overlaps == 0 && badNames == 0 && badPositions == 0 && rois > 0 ? 0 : 1);
    }

    private static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; )
            out.write(buffer, 0, n);
        return out.toByteArray();
    }
}
