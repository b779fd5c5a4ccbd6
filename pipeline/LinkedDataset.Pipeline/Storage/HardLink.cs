using System.Runtime.InteropServices;

namespace LinkedDataset.Pipeline.Storage;

/// <summary>
/// A second name for an existing file (a hard link), so a new snapshot can hold an unchanged partition
/// of the previous one without copying it. Both names point at the same bytes; deleting either folder
/// leaves the other whole, and nothing here ever writes into a published file, so sharing is safe.
/// Where the file system cannot link (another volume, no support), the file is copied instead.
/// </summary>
public static class HardLink
{
    /// <summary>Makes <paramref name="target"/> name the file at <paramref name="source"/>; returns false when it had to copy.</summary>
    public static bool CreateOrCopy(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        var linked = OperatingSystem.IsWindows()
            ? CreateHardLinkW(target, source, IntPtr.Zero)
            : link(source, target) == 0;
        if (!linked)
        {
            File.Copy(source, target, overwrite: true);
        }

        return linked;
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SA1300, IDE1006 // the C function's own name
    private static extern int link(string oldpath, string newpath);
#pragma warning restore SA1300, IDE1006

    [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CreateHardLinkW(string newFileName, string existingFileName, IntPtr securityAttributes);
}
