<?php
// Driver for Horde's WBXML codec (Debian php-horde-xml-wbxml), used as a test
// oracle by tests/test_wbxml_horde.py: `php horde_wbxml.php encode|decode`
// reads the document on stdin and writes the other form on stdout.  Any
// failure exits 1 with the reason on stderr.
set_include_path('/usr/share/php' . PATH_SEPARATOR . get_include_path());
spl_autoload_register(function ($class) {
    // Horde's PSR-0 layout: Horde_Xml_Wbxml_Encoder is Horde/Xml/Wbxml/Encoder.php.
    $file = str_replace('_', '/', $class) . '.php';
    if (stream_resolve_include_path($file) !== false) {
        require_once $file;
    }
});

$input = stream_get_contents(STDIN);
try {
    if ($argc === 2 && $argv[1] === 'encode') {
        $encoder = new Horde_Xml_Wbxml_Encoder();
        fwrite(STDOUT, $encoder->encode($input));
    } elseif ($argc === 2 && $argv[1] === 'decode') {
        $decoder = new Horde_Xml_Wbxml_Decoder();
        fwrite(STDOUT, $decoder->decodeToString($input));
    } else {
        fwrite(STDERR, "usage: php horde_wbxml.php encode|decode < input\n");
        exit(2);
    }
} catch (Throwable $error) {
    fwrite(STDERR, get_class($error) . ': ' . $error->getMessage() . "\n");
    exit(1);
}
