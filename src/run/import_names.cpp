#include <array>
#include <utility>

#include "omni/run/analysis.hpp"

namespace omni::run {

std::string distribution_for_import(std::string_view module) {
    // Import names whose distribution is named otherwise. Installing by
    // import name is a guess; the healer shows it and asks before a package
    // new to this machine is installed.
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 40> known{{
        {"yaml", "PyYAML"},
        {"cv2", "opencv-python"},
        {"PIL", "Pillow"},
        {"sklearn", "scikit-learn"},
        {"skimage", "scikit-image"},
        {"bs4", "beautifulsoup4"},
        {"dateutil", "python-dateutil"},
        {"dotenv", "python-dotenv"},
        {"jwt", "PyJWT"},
        {"serial", "pyserial"},
        {"usb", "pyusb"},
        {"Crypto", "pycryptodome"},
        {"Cryptodome", "pycryptodomex"},
        {"OpenSSL", "pyOpenSSL"},
        {"magic", "python-magic"},
        {"docx", "python-docx"},
        {"pptx", "python-pptx"},
        {"attr", "attrs"},
        {"google", "protobuf"},
        {"MySQLdb", "mysqlclient"},
        {"psycopg2", "psycopg2-binary"},
        {"zmq", "pyzmq"},
        {"gi", "PyGObject"},
        {"wx", "wxPython"},
        {"Levenshtein", "python-Levenshtein"},
        {"fitz", "PyMuPDF"},
        {"git", "GitPython"},
        {"jose", "python-jose"},
        {"multipart", "python-multipart"},
        {"telegram", "python-telegram-bot"},
        {"discord", "discord.py"},
        {"sentry_sdk", "sentry-sdk"},
        {"markdown", "Markdown"},
        {"mpl_toolkits", "matplotlib"},
        {"pkg_resources", "setuptools"},
        {"win32api", "pywin32"},
        {"websocket", "websocket-client"},
        {"Bio", "biopython"},
        {"tensorflow_hub", "tensorflow-hub"},
        {"umap", "umap-learn"},
    }};
    for (const auto& [import_name, distribution] : known)
        if (import_name == module)
            return std::string(distribution);
    return std::string(module);
}

}  // namespace omni::run
