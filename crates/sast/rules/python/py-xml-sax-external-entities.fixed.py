import xml.sax
from xml.sax.handler import feature_external_ges

parser = xml.sax.make_parser()
# ruleid: py-xml-sax-external-entities
parser.setFeature(xml.sax.handler.feature_external_ges, False)
# ok: py-xml-sax-external-entities
parser.setFeature(feature_external_ges, False)
