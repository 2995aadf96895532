#!/usr/bin/env python3
"""Make TorchSharp's libLibTorchSharp.so load on a libstdc++ older than GCC 13 (Debian 12).

TorchSharp-cpu 0.107.0 ships a libLibTorchSharp.so whose .gnu.version_r asks libstdc++.so.6
for GLIBCXX_3.4.32. Debian 12's libstdc++ defines versions up to GLIBCXX_3.4.30, so the
dynamic loader refuses the library. The only symbol bound to that version is
std::ios_base_library_init(), which no relocation uses: it is a marker GCC 13 emits, never
called through the PLT/GOT. Setting VER_FLG_WEAK (0x2) on that Vernaux entry turns the hard
"version not found" into a loader warning that glibc does not even print.

The script refuses to patch (and exits non-zero with an MSBuild-style error) unless:
  * the file is an ELF64 little-endian x86-64 shared object with the expected dynamic tables,
  * exactly one Vernaux entry of libstdc++.so.6 names GLIBCXX_3.4.32,
  * every dynamic symbol bound to that version is in ALLOWED_SYMBOLS and no relocation uses it.
It never touches a library when the system libstdc++ already defines the version, and it is
idempotent: a flag that is already set is reported and left alone. The patched file is written
beside the target and renamed over it, so a hard link into the NuGet cache is never modified.

Usage: weaken_glibcxx_need.py LIBRARY [--libstdcxx PATH] [--check] [--force]
Standard library only: see docs/libtorch-debian12.md.
"""

from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import tempfile

VERSION = "GLIBCXX_3.4.32"
NEEDED_FILE = "libstdc++.so.6"
ALLOWED_SYMBOLS = {"_ZSt21ios_base_library_initv"}  # std::ios_base_library_init()
VER_FLG_WEAK = 0x2
TOOL = "weaken_glibcxx_need.py"

PT_LOAD, PT_DYNAMIC = 1, 2
SHT_DYNSYM = 11
DT_NULL, DT_PLTRELSZ, DT_STRTAB, DT_SYMTAB, DT_RELA, DT_RELASZ, DT_STRSZ = 0, 2, 5, 6, 7, 8, 10
DT_PLTREL, DT_JMPREL = 20, 23
DT_VERSYM, DT_VERDEF, DT_VERDEFNUM = 0x6FFFFFF0, 0x6FFFFFFC, 0x6FFFFFFD
DT_VERNEED, DT_VERNEEDNUM = 0x6FFFFFFE, 0x6FFFFFFF

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")
SHDR = struct.Struct("<IIQQQQIIQQ")
DYN = struct.Struct("<qQ")
VERNEED = struct.Struct("<HHIII")   # vn_version, vn_cnt, vn_file, vn_aux, vn_next
VERNAUX = struct.Struct("<IHHII")   # vna_hash, vna_flags, vna_other, vna_name, vna_next
VERDEF = struct.Struct("<HHHHIII")  # vd_version, vd_flags, vd_ndx, vd_cnt, vd_hash, vd_aux, vd_next
VERDAUX = struct.Struct("<II")      # vda_name, vda_next
SYM = struct.Struct("<IBBHQQ")
RELA = struct.Struct("<QQq")
VERNAUX_FLAGS_OFFSET = 4            # vna_flags follows the 4-byte vna_hash


class LayoutError(Exception):
    """The ELF file is not laid out the way this patcher understands."""


class Elf:
    """Read-only view of the dynamic-linking tables of an ELF64 LE x86-64 shared object."""

    def __init__(self, path: str, data: bytes):
        self.path = path
        self.data = data
        if len(data) < EHDR.size or data[:4] != b"\x7fELF":
            raise LayoutError(f"{path}: not an ELF file")
        ident, e_type, machine, _, _, phoff, shoff, _, _, phentsize, phnum, shentsize, shnum, _ = \
            EHDR.unpack_from(data, 0)
        if ident[4] != 2 or ident[5] != 1:
            raise LayoutError(f"{path}: expected ELF64 little-endian (class {ident[4]}, data {ident[5]})")
        if e_type != 3 or machine != 62:
            raise LayoutError(f"{path}: expected an x86-64 shared object (type {e_type}, machine {machine})")
        if phentsize != PHDR.size:
            raise LayoutError(f"{path}: program header size {phentsize}, expected {PHDR.size}")
        self.phdrs = [PHDR.unpack_from(data, phoff + i * PHDR.size) for i in range(phnum)]
        self.shdrs = [SHDR.unpack_from(data, shoff + i * SHDR.size) for i in range(shnum)] \
            if shoff and shentsize == SHDR.size else []
        self.dynamic = self._read_dynamic()

    def _read_dynamic(self) -> dict[int, int]:
        dyn = [p for p in self.phdrs if p[0] == PT_DYNAMIC]
        if len(dyn) != 1:
            raise LayoutError(f"{self.path}: expected one PT_DYNAMIC segment, found {len(dyn)}")
        _, _, offset, _, _, filesz, _, _ = dyn[0]
        tags: dict[int, int] = {}
        for pos in range(offset, offset + filesz, DYN.size):
            tag, value = DYN.unpack_from(self.data, pos)
            if tag == DT_NULL:
                break
            tags.setdefault(tag, value)
        return tags

    def offset_of(self, vaddr: int) -> int:
        """File offset of a virtual address, through the PT_LOAD segment that maps it."""
        for p_type, _, offset, p_vaddr, _, filesz, _, _ in self.phdrs:
            if p_type == PT_LOAD and p_vaddr <= vaddr < p_vaddr + filesz:
                return offset + (vaddr - p_vaddr)
        raise LayoutError(f"{self.path}: address {vaddr:#x} is in no PT_LOAD segment")

    def tag(self, tag: int, name: str) -> int:
        if tag not in self.dynamic:
            raise LayoutError(f"{self.path}: .dynamic has no {name}")
        return self.dynamic[tag]

    def string(self, index: int) -> str:
        strtab = self.offset_of(self.tag(DT_STRTAB, "DT_STRTAB"))
        if index >= self.tag(DT_STRSZ, "DT_STRSZ"):
            raise LayoutError(f"{self.path}: string index {index} is outside .dynstr")
        end = self.data.index(b"\0", strtab + index)
        return self.data[strtab + index:end].decode("ascii", "replace")

    def verneed(self):
        """Yield (file name, Vernaux file offset, vna_flags, vna_other, vna_name) for every need."""
        pos = self.offset_of(self.tag(DT_VERNEED, "DT_VERNEED"))
        for _ in range(self.tag(DT_VERNEEDNUM, "DT_VERNEEDNUM")):
            version, count, file_name, aux, next_entry = VERNEED.unpack_from(self.data, pos)
            if version != 1:
                raise LayoutError(f"{self.path}: Verneed version {version}, expected 1")
            aux_pos = pos + aux
            for _ in range(count):
                _, flags, other, name, aux_next = VERNAUX.unpack_from(self.data, aux_pos)
                yield self.string(file_name), aux_pos, flags, other, self.string(name)
                aux_pos += aux_next
            if next_entry == 0:
                break
            pos += next_entry

    def verdef_names(self) -> set[str]:
        """Every version name this library defines (.gnu.version_d)."""
        names: set[str] = set()
        if DT_VERDEF not in self.dynamic:
            return names
        pos = self.offset_of(self.dynamic[DT_VERDEF])
        for _ in range(self.tag(DT_VERDEFNUM, "DT_VERDEFNUM")):
            _, _, _, count, _, aux, next_entry = VERDEF.unpack_from(self.data, pos)
            if count:
                names.add(self.string(VERDAUX.unpack_from(self.data, pos + aux)[0]))
            if next_entry == 0:
                break
            pos += next_entry
        return names

    def symbols_with_version(self, version_index: int) -> set[int]:
        """Indices of dynamic symbols whose .gnu.version entry is version_index (hidden bit ignored)."""
        dynsym = [s for s in self.shdrs if s[1] == SHT_DYNSYM]
        if len(dynsym) != 1 or dynsym[0][9] != SYM.size:
            raise LayoutError(f"{self.path}: expected one .dynsym section with {SYM.size}-byte entries")
        count = dynsym[0][5] // SYM.size
        versym = self.offset_of(self.tag(DT_VERSYM, "DT_VERSYM"))
        return {i for i in range(count)
                if struct.unpack_from("<H", self.data, versym + 2 * i)[0] & 0x7FFF == version_index}

    def symbol_name(self, index: int) -> str:
        symtab = self.offset_of(self.tag(DT_SYMTAB, "DT_SYMTAB"))
        return self.string(SYM.unpack_from(self.data, symtab + index * SYM.size)[0])

    def relocated_symbols(self) -> set[int]:
        """Symbol indices referenced by any dynamic relocation (.rela.dyn and .rela.plt)."""
        tables = [(DT_RELA, DT_RELASZ)]
        if DT_JMPREL in self.dynamic:
            if self.tag(DT_PLTREL, "DT_PLTREL") != DT_RELA:
                raise LayoutError(f"{self.path}: PLT relocations are not RELA")
            tables.append((DT_JMPREL, DT_PLTRELSZ))
        used: set[int] = set()
        for address_tag, size_tag in tables:
            if address_tag not in self.dynamic:
                continue
            start = self.offset_of(self.dynamic[address_tag])
            for pos in range(start, start + self.tag(size_tag, "relocation size"), RELA.size):
                used.add(RELA.unpack_from(self.data, pos)[1] >> 32)
        return used


def find_system_libstdcxx() -> str | None:
    """The libstdc++.so.6 the loader would pick: from ldconfig's cache, else the usual paths."""
    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig"):
        if os.path.exists(ldconfig):
            listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False).stdout
            for line in listing.splitlines():
                if line.strip().startswith("libstdc++.so.6 ") and "x86-64" in line:
                    return line.rsplit("=>", 1)[1].strip()
    for candidate in ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6",
                      "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"):
        if os.path.exists(candidate):
            return candidate
    return None


def system_defines_version(libstdcxx: str) -> bool:
    with open(libstdcxx, "rb") as handle:
        return VERSION in Elf(libstdcxx, handle.read()).verdef_names()


def locate_need(elf: Elf):
    """The single (offset, flags, version index) of the libstdc++ need for VERSION."""
    matches = [(pos, flags, other) for file_name, pos, flags, other, name in elf.verneed()
               if file_name == NEEDED_FILE and name == VERSION]
    if len(matches) != 1:
        raise LayoutError(f"{elf.path}: expected one {NEEDED_FILE} need for {VERSION}, found {len(matches)}")
    return matches[0]


def check_unused(elf: Elf, version_index: int) -> None:
    """Weakening is safe only if nothing is actually resolved against the missing version."""
    bound = elf.symbols_with_version(version_index)
    names = {elf.symbol_name(i) for i in bound}
    unexpected = names - ALLOWED_SYMBOLS
    if unexpected:
        raise LayoutError(f"{elf.path}: symbols other than {sorted(ALLOWED_SYMBOLS)} need {VERSION}: "
                          f"{sorted(unexpected)}; weakening it would leave them unresolved")
    relocated = bound & elf.relocated_symbols()
    if relocated:
        raise LayoutError(f"{elf.path}: a relocation uses {sorted(elf.symbol_name(i) for i in relocated)} "
                          f"@{VERSION}; weakening it would leave it unresolved")


def write_replacing(path: str, data: bytes) -> None:
    """Write beside the target and rename over it: a hard link to the NuGet cache stays pristine.

    The copy keeps the original's timestamps, so MSBuild's Copy (SkipUnchangedFiles: same size and
    time) leaves the patched output alone on the next incremental build instead of re-copying it.
    """
    info = os.stat(path)
    mode = info.st_mode & 0o7777
    handle, temp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".weaken-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, mode)
        os.utime(temp, ns=(info.st_atime_ns, info.st_mtime_ns))
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise


def run(args: argparse.Namespace) -> str:
    if not args.force:
        libstdcxx = args.libstdcxx or find_system_libstdcxx()
        if libstdcxx is None:
            raise LayoutError("no system libstdc++.so.6 found; pass --libstdcxx PATH")
        if system_defines_version(libstdcxx):
            return f"not needed: {libstdcxx} defines {VERSION}; {args.library} left unchanged"
    with open(args.library, "rb") as handle:
        data = bytearray(handle.read())
    elf = Elf(args.library, bytes(data))
    pos, flags, version_index = locate_need(elf)
    check_unused(elf, version_index)
    if flags & VER_FLG_WEAK:
        return f"already patched: {VERSION} need in {args.library} is weak (flags {flags:#x})"
    if args.check:
        return f"would patch: Vernaux at file offset {pos:#x}, vna_flags {flags:#x} -> {flags | VER_FLG_WEAK:#x}"
    struct.pack_into("<H", data, pos + VERNAUX_FLAGS_OFFSET, flags | VER_FLG_WEAK)
    write_replacing(args.library, bytes(data))
    return (f"patched: {args.library} Vernaux {VERSION} at file offset {pos:#x}: "
            f"vna_flags {flags:#x} -> {flags | VER_FLG_WEAK:#x}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", help="path to libLibTorchSharp.so (an output copy, not the NuGet cache)")
    parser.add_argument("--libstdcxx", help="system libstdc++.so.6 to test (default: ldconfig's)")
    parser.add_argument("--check", action="store_true", help="report what would change, write nothing")
    parser.add_argument("--force", action="store_true", help="patch even if the system defines the version")
    args = parser.parse_args()
    try:
        print(f"{TOOL}: {run(args)}")
        return 0
    except (LayoutError, OSError, struct.error, ValueError) as error:
        # Canonical "origin: error CODE: text" so MSBuild's Exec shows it as a build error.
        print(f"{TOOL}: error LIBTORCH001: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
