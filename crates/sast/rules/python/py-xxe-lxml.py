from lxml import etree

# ruleid: py-xxe-lxml
parser = etree.XMLParser()
# ruleid: py-xxe-lxml
parser = etree.XMLParser(resolve_entities=True, no_network=False)
# ok: py-xxe-lxml
parser = etree.XMLParser(resolve_entities=False, no_network=True)
