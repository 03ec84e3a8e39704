// MSBuild inline task: marks the GLIBCXX_3.4.32 version requirement of libLibTorchSharp.so weak.
// See AdGan.NativeFix.targets for the why. Pure ELF64 parsing, no external tools.
using System;
using System.IO;
using System.Text;
public class AdGanWeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
{
    const string Version = "GLIBCXX_3.4.32";
    const string Library = "libLibTorchSharp.so";

    public string[] Folders { get; set; }
    public bool Always { get; set; }

    public override bool Execute()
    {
        if (!Always && !SystemLacksVersion())
            return true;
        foreach (var folder in Folders)
        {
            if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
                continue;
            foreach (var file in Directory.GetFiles(folder, Library, SearchOption.AllDirectories))
            {
                try
                {
                    if (Patch(file))
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                            "AdGan: marked " + Version + " weak in " + file + " (system libstdc++ lacks it; see README).");
                }
                catch (Exception e)
                {
                    Log.LogWarning("AdGan: could not patch " + file + ": " + e.Message);
                }
            }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemLacksVersion()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux))
            return false;
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        foreach (var path in candidates)
        {
            if (File.Exists(path))
                return !Contains(File.ReadAllBytes(path), Encoding.ASCII.GetBytes(Version + "\0"));
        }
        return false; // Unknown layout: do nothing rather than guess.
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    // Returns true when the file was changed; false when already weak or the requirement is absent.
    static bool Patch(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            return false; // Not a little-endian ELF64 file.
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        const uint ShtGnuVerneed = 0x6ffffffe;
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed)
                continue;
            long offset = BitConverter.ToInt64(elf, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 0x28);
            int count = (int)BitConverter.ToUInt32(elf, (int)sh + 0x2C);
            long strOffset = BitConverter.ToInt64(elf, (int)(shoff + (long)link * shentsize) + 0x18);
            long need = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = strOffset + BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadString(elf, name) == Version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & 2) != 0)
                            return false;
                        flags |= 2; // VER_FLG_WEAK
                        elf[aux + 4] = (byte)(flags & 0xff);
                        elf[aux + 5] = (byte)(flags >> 8);
                        string temp = path + ".adgan-tmp";
                        File.WriteAllBytes(temp, elf);
                        File.Delete(path); // breaks any hard link, so a shared copy is never modified
                        File.Move(temp, path);
                        return true;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        return false;
    }

    static string ReadString(byte[] data, long start)
    {
        long end = start;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)start, (int)(end - start));
    }
}
