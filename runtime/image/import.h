/* kbox image import: images from their sources into a cpio archive for the initramfs. */
#pragma once

int img_import_main(int argc, char **argv);
