function Post({ html, title }) {
  // ruleid: js-react-dangerously-set-inner-html
  const body = <div className="post" dangerouslySetInnerHTML={{ __html: html }} />;
  // ok: js-react-dangerously-set-inner-html
  const safe = <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(html) }} />;
  // ok: js-react-dangerously-set-inner-html
  const text = <div>{title}</div>;
  return [body, safe, text];
}
